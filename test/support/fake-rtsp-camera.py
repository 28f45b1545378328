"""A fake RTSP camera: GStreamer's RTSP server (Debian: python3-gi, gir1.2-gst-rtsp-server-1.0).
Usage: fake-rtsp-camera.py PORT USER PASSWORD  (PORT 0: any; prints the bound port, then serves
rtsp://USER:PASSWORD@127.0.0.1:PORT/cam: live H.264 video plus G.711 audio, as cameras send)."""
import sys, gi
gi.require_version('Gst', '1.0'); gi.require_version('GstRtspServer', '1.0')
from gi.repository import Gst, GstRtspServer, GLib
Gst.init(None)
port, user, password = sys.argv[1:4]
server = GstRtspServer.RTSPServer(service=port, address='127.0.0.1')
factory = GstRtspServer.RTSPMediaFactory(shared=True)
factory.set_launch('( videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=15/1'
                   ' ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 bitrate=300 ! rtph264pay name=pay0 pt=96'
                   ' audiotestsrc is-live=true ! mulawenc ! rtppcmupay name=pay1 pt=0 )')
token = GstRtspServer.RTSPToken(); token.set_string('media.factory.role', 'viewer')
auth = GstRtspServer.RTSPAuth(); auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
server.set_auth(auth)
factory.add_role_from_structure(Gst.Structure.from_string('viewer, media.factory.access=(boolean)true, media.factory.construct=(boolean)true')[0])
server.get_mount_points().add_factory('/cam', factory)
server.attach(None)
print(server.get_bound_port(), flush=True)
GLib.MainLoop().run()
