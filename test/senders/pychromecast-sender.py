#!/usr/bin/python3
"""An independent Cast sender for the tests: Debian's python3-pychromecast (9.4),
written against real Chromecasts, driving a device it finds over mDNS on loopback.

    /usr/bin/python3 pychromecast-sender.py play <friendly name> <media URL> <short media URL> <bad URL>
    /usr/bin/python3 pychromecast-sender.py pause <friendly name>    (pauses what another sender plays)

Prints one JSON object per step ({"step": ..., ...}); a step that does not happen
within its deadline prints {"failed": ..., "why": ...} and exits 1. The steps follow
pychromecast's own API; where 9.4 has none (a LOAD_FAILED), the script asks by request id.
"""
import json
import os
import sys
import uuid
import threading

import pychromecast
import zeroconf
from pychromecast.config import APP_MEDIA_RECEIVER
from pychromecast.controllers.media import MediaStatusListener
from pychromecast.controllers.receiver import CastStatusListener, LaunchErrorListener

MODE, NAME = sys.argv[1:3]
TIMEOUT = int(os.environ.get("STEP_TIMEOUT", "20"))


def say(step, **details):
    print(json.dumps({"step": step, **details}), flush=True)


class Watcher(MediaStatusListener, CastStatusListener, LaunchErrorListener):
    def __init__(self):
        self.cond = threading.Condition()
        self.media = None
        self.cast = None
        self.launch_error = None

    def new_media_status(self, status):
        with self.cond:
            self.media = status
            self.cond.notify_all()

    def new_cast_status(self, status):
        with self.cond:
            self.cast = status
            self.cond.notify_all()

    def new_launch_error(self, status):
        with self.cond:
            self.launch_error = status
            self.cond.notify_all()

    def wait(self, step, predicate, **details):
        with self.cond:
            if not self.cond.wait_for(predicate, TIMEOUT):
                media = self.media and {"state": self.media.player_state, "idle": self.media.idle_reason, "at": self.media.current_time}
                print(json.dumps({"failed": step, "why": f"not within {TIMEOUT} s", "media": media}), flush=True)
                if os.environ.get("KEEP_GOING"):  # comparison runs: every step's outcome
                    return
                sys.exit(1)
        say(step, **{key: value() for key, value in details.items()})


zconf = zeroconf.Zeroconf(interfaces=["127.0.0.1"])
casts, browser = pychromecast.get_listed_chromecasts(friendly_names=[NAME], discovery_timeout=10, zeroconf_instance=zconf)
if not casts and os.environ.get("CAST_HOST"):
    # For comparison runs only (a device that mDNS cannot find): by address, as pychromecast allows.
    host, port = os.environ["CAST_HOST"].rsplit(":", 1)
    say("not-found-over-mdns")
    casts = [pychromecast.get_chromecast_from_host((host, int(port), uuid.uuid4(), "Chromecast", NAME))]
if not casts:
    browser.stop_discovery()
    print(json.dumps({"failed": "found", "why": f"no Cast device named {NAME!r} over mDNS on 127.0.0.1"}), flush=True)
    sys.exit(1)
cast = casts[0]
# Where mDNS said it is (a discovered Chromecast's own `uri` has no host in 9.4).
info = browser.devices.get(cast.uuid)
host, port = (info.host, info.port) if info else cast.uri.rsplit(":", 1)
say("found", host=host, port=int(port), model=cast.model_name, uuid=str(cast.uuid))

watch = Watcher()
cast.register_status_listener(watch)
cast.register_launch_error_listener(watch)
media = cast.media_controller
media.register_status_listener(watch)
cast.wait(timeout=TIMEOUT)
say("connected", app=cast.status.app_id if cast.status else None)

if MODE == "pause":
    # Another sender's media session: pychromecast joins it on its own (GET_STATUS on the app's transport).
    watch.wait("joined", lambda: watch.media is not None and watch.media.player_state == "PLAYING", title=lambda: watch.media.title)
    media.pause()
    watch.wait("paused", lambda: watch.media.player_state == "PAUSED")
    cast.disconnect(timeout=5)
    browser.stop_discovery()
    say("done")
    sys.exit(0)

URL, SHORT_URL, BAD_URL = sys.argv[3:6]
media.play_media(URL, "video/mp4", title="Independent sender")
watch.wait("launched", lambda: watch.launch_error is not None or (watch.cast is not None and watch.cast.app_id == APP_MEDIA_RECEIVER))
if watch.launch_error is not None:
    print(json.dumps({"failed": "launched", "why": str(watch.launch_error)}), flush=True)
    sys.exit(1)
watch.wait("playing", lambda: watch.media is not None and watch.media.player_state == "PLAYING", duration=lambda: watch.media.duration)
media.pause()
watch.wait("paused", lambda: watch.media.player_state == "PAUSED")
media.seek(1.5)
watch.wait("seeked", lambda: watch.media.current_time >= 1.5, position=lambda: watch.media.current_time)
media.play()
watch.wait("resumed", lambda: watch.media.player_state == "PLAYING")
cast.set_volume(0.4)
watch.wait("volume", lambda: abs(watch.cast.volume_level - 0.4) < 0.01, level=lambda: watch.cast.volume_level)
cast.set_volume_muted(True)
watch.wait("muted", lambda: watch.cast.volume_muted)
cast.set_volume_muted(False)
watch.wait("unmuted", lambda: not watch.cast.volume_muted)
media.stop()
watch.wait("stopped", lambda: watch.media.player_state == "IDLE", reason=lambda: watch.media.idle_reason)

media.play_media(SHORT_URL, "video/mp4", title="To the end")
watch.wait("finished", lambda: watch.media.player_state == "IDLE" and watch.media.idle_reason == "FINISHED", position=lambda: watch.media.current_time, duration=lambda: watch.media.duration)

# 9.4 reports no LOAD_FAILED of its own: the reply to our LOAD, by its request id.
reply, answered = {}, threading.Event()


def on_reply(data):
    reply.update(data)
    answered.set()


media.send_message({"type": "LOAD", "media": {"contentId": BAD_URL, "contentType": "video/mp4", "streamType": "BUFFERED", "metadata": {}}, "autoplay": True, "customData": {}}, inc_session_id=True, callback_function=on_reply)
if not answered.wait(TIMEOUT):
    print(json.dumps({"failed": "load-failed", "why": "no answer to the LOAD"}), flush=True)
    sys.exit(1)
say("load-answered", type=reply.get("type"), detailedErrorCode=reply.get("detailedErrorCode"))
watch.wait("load-failed", lambda: watch.media.player_state == "IDLE" and watch.media.idle_reason == "ERROR")

cast.quit_app()
watch.wait("quit", lambda: watch.cast.app_id != APP_MEDIA_RECEIVER)
cast.disconnect(timeout=5)
browser.stop_discovery()
say("done")
