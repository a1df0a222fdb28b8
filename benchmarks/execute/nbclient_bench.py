"""nbclient side of execute.bench.mjs: one measurement per call, printed as JSON on stdout.

    python nbclient_bench.py < request.json

request: {"metric": "startup" | "cells" | "parallel", "kernelName": "...", "kernelEnv": {...},
          "cwd": "...", ...metric fields}
  startup   {"repeats": N}: kernel start → first kernel_info reply, the way NotebookClient
            starts a kernel (async_setup_kernel: kernel manager, client, channels,
            wait_for_ready; then the kernel_info request nbclient's execute() sends); then the
            shutdown time. Returns {"startupMs": [...], "shutdownMs": [...]}.
  cells     {"notebook": path, "repeats": N}: each repeat on a fresh kernel, the time to
            execute every cell (async_execute_cell in order, as execute() does), kernel start
            excluded. Returns {"cellsMs": [...], "outputBytes": n}.
  parallel  {"notebooks": [paths], "concurrency": C}: every notebook executed completely
            (NotebookClient.async_execute, fresh kernel each), C at a time (asyncio, one
            process, separate kernels). Returns {"wallMs": ms, "statuses": [...]}.
nbclient's defaults (coalesce_streams off unless the request says "coalesce": true), with the
IPython history in memory as mle has it (nbclient does that itself for kernels named python3).
"""

import asyncio
import json
import sys
import time

import nbformat
from jupyter_core.utils import ensure_async
from nbclient import NotebookClient

HISTORY = ["--HistoryManager.hist_file=:memory:"]


def client_for(nb, request):
    return NotebookClient(
        nb,
        kernel_name=request["kernelName"],
        resources={"metadata": {"path": request["cwd"]}},
        extra_arguments=list(HISTORY),
        coalesce_streams=request.get("coalesce", False),
    )


def now_ms():
    return time.perf_counter() * 1000


async def startup(request):
    starts, stops = [], []
    for _ in range(request["repeats"]):
        client = client_for(nbformat.v4.new_notebook(), request)
        t0 = now_ms()
        async with client.async_setup_kernel(env=request["kernelEnv"]):
            await client.async_wait_for_reply(await ensure_async(client.kc.kernel_info()))
            starts.append(now_ms() - t0)
            t1 = now_ms()
        # Leaving the context shuts the kernel down (nbclient's _async_cleanup_kernel).
        stops.append(now_ms() - t1)
    return {"startupMs": starts, "shutdownMs": stops}


def output_bytes(nb):
    return sum(len(json.dumps(cell.get("outputs", []))) for cell in nb.cells if cell.cell_type == "code")


async def cells(request):
    times, size = [], 0
    for _ in range(request["repeats"]):
        nb = nbformat.read(request["notebook"], as_version=4)
        client = client_for(nb, request)
        async with client.async_setup_kernel(env=request["kernelEnv"]):
            await client.async_wait_for_reply(await ensure_async(client.kc.kernel_info()))
            t0 = now_ms()
            for index, cell in enumerate(client.nb.cells):
                await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            times.append(now_ms() - t0)
        size = output_bytes(client.nb)
    return {"cellsMs": times, "outputBytes": size}


async def parallel(request):
    semaphore = asyncio.Semaphore(request["concurrency"])

    async def one(path):
        async with semaphore:
            client = client_for(nbformat.read(path, as_version=4), request)
            try:
                await client.async_execute(env=request["kernelEnv"])
                return "ok"
            except Exception as e:  # noqa: BLE001 - counted, not hidden
                return type(e).__name__

    t0 = now_ms()
    statuses = await asyncio.gather(*(one(path) for path in request["notebooks"]))
    return {"wallMs": now_ms() - t0, "statuses": list(statuses)}


async def main():
    request = json.load(sys.stdin)
    metric = {"startup": startup, "cells": cells, "parallel": parallel}[request["metric"]]
    print(json.dumps(await metric(request)))


if __name__ == "__main__":
    asyncio.run(main())
