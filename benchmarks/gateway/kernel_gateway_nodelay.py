"""The kernel gateway with TCP_NODELAY on its websockets: benchmark only, to show where the
gateway's per-cell overhead comes from. Tornado leaves Nagle's algorithm on for websockets, so
each small message after the first of a cell (busy, execute_input, reply, idle) waits for the
client's delayed ACK (40 ms on Linux)."""
import sys

import tornado.websocket

_receive = tornado.websocket.WebSocketProtocol13._receive_frame_loop


async def _receive_without_nagle(self):
    self.stream.set_nodelay(True)
    return await _receive(self)


tornado.websocket.WebSocketProtocol13._receive_frame_loop = _receive_without_nagle

from kernel_gateway import launch_instance  # noqa: E402

sys.exit(launch_instance())
