"""Reference side of compare-nbclient.mjs: executes notebooks with nbclient and writes the results.

Reads a JSON request on stdin:
  {"kernelName": "mle-tools", "kernelEnv": {...}, "output": "/path/result.json",
   "jobs": [{"id": "...", "path": "...", "cwd": "...", "options": {nbclient kwargs},
             "env": {...extra kernel env}, "group": "name or null"}]}
Jobs sharing a group run at the same time (asyncio.gather, one kernel each); the others one after
the other. Each notebook is cleaned first like nbclient's own tests do (outputs emptied,
execution counts removed). Writes {"results": [{"id", "status", "error", "durationMs",
"lastCellStarted", "notebook"}]}: status is ok | error | timeout | kernel-died | exception |
hung (no end within the job's guardSeconds, 120 by default), and the notebook is the executed
one, partial when the run stopped.

Run with the tools venv's python (nbclient 0.11); JUPYTER_PATH must reach the kernelspec.
"""

import asyncio
import json
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def cleaned(path):
    with open(path, encoding="utf-8") as f:
        nb = nbformat.read(f, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell["execution_count"] = None
            cell["outputs"] = []
    return nb


async def run_job(job, kernel_name, kernel_env):
    nb = cleaned(job["path"])
    client = NotebookClient(
        nb,
        kernel_name=kernel_name,
        resources={"metadata": {"path": job["cwd"]}},
        # nbclient adds this itself only for kernels named python/python2/python3
        # (jupyter_client's KernelManager.ipykernel); the kernelspec here has another name.
        extra_arguments=["--HistoryManager.hist_file=:memory:"],
        **job.get("options", {}),
    )
    env = {**kernel_env, **job.get("env", {})}
    status, error = "ok", None
    progress = {"cell": None}
    client.on_cell_start = lambda cell, cell_index: progress.update(cell=cell_index)
    started = time.perf_counter()
    guard_seconds = job.get("guardSeconds", 120)
    # A guard, not an nbclient option: a run that never ends is reported, not waited for. Its
    # cancellation surfaces as whatever nbclient makes of a CancelledError (DeadKernelError
    # inside a cell), so the guard's firing is recorded before cancelling.
    task = asyncio.ensure_future(client.async_execute(env=env))
    done, _ = await asyncio.wait({task}, timeout=guard_seconds)
    guard_fired = not done
    if guard_fired:
        task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    except CellTimeoutError as e:
        status, error = "timeout", e
    except DeadKernelError as e:
        status, error = "kernel-died", e
    except CellExecutionError as e:
        status, error = "error", e
    except Exception as e:  # noqa: BLE001 - reported, not hidden
        status, error = "exception", e
    if guard_fired:
        status, error = "hung", RuntimeError(f"no end after {guard_seconds} s, in cell {progress['cell']}")
    duration_ms = (time.perf_counter() - started) * 1000
    return {
        "id": job["id"],
        "status": status,
        "error": None if error is None else {"name": type(error).__name__, "message": str(error)[:2000]},
        "durationMs": round(duration_ms, 1),
        "lastCellStarted": progress["cell"],
        # The client's notebook: executed cells so far, even when the run stopped.
        "notebook": json.loads(json.dumps(client.nb)),
    }


async def run_logged(job, kernel_name, kernel_env):
    result = await run_job(job, kernel_name, kernel_env)
    print(f"nbclient: {job['id']}: {result['status']} in {result['durationMs']:.0f} ms", file=sys.stderr, flush=True)
    return result


async def main():
    request = json.load(sys.stdin)
    kernel_name = request["kernelName"]
    kernel_env = request.get("kernelEnv", {})
    results = []
    pending_groups = {}
    for job in request["jobs"]:
        group = job.get("group")
        if group:
            pending_groups.setdefault(group, []).append(job)
    done_groups = set()
    for job in request["jobs"]:
        group = job.get("group")
        if not group:
            results.append(await run_logged(job, kernel_name, kernel_env))
            continue
        if group in done_groups:
            continue
        done_groups.add(group)
        results.extend(
            await asyncio.gather(*(run_logged(j, kernel_name, kernel_env) for j in pending_groups[group]))
        )
    with open(request["output"], "w", encoding="utf-8") as f:
        json.dump({"results": results}, f)


if __name__ == "__main__":
    asyncio.run(main())
