#!/usr/bin/python3
# Verifies the DKIM signature(s) of the message on stdin with dkimpy, offline.
# Usage: verify.py <selector>._domainkey.<domain> '<TXT record: v=DKIM1; k=...; p=...>'
# Prints "pass" and exits 0 when dkimpy verifies the first signature, else prints "fail: ..." and exits 1.
import logging
import sys

import dkim

name, record = sys.argv[1], sys.argv[2]
message = sys.stdin.buffer.read()
if b"\r\n" not in message:
    message = message.replace(b"\n", b"\r\n")  # a delivered file with LF line ends


def dnsfunc(domain, timeout=5):
    if domain.decode("ascii").rstrip(".").lower() == name.rstrip(".").lower():
        return record.encode("ascii")
    return None


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, rec):
        self.lines.append(rec.getMessage())


log = logging.getLogger("dkim-verify")
log.setLevel(logging.DEBUG)
collect = Collect()
log.addHandler(collect)
try:
    ok = dkim.verify(message, logger=log, dnsfunc=dnsfunc)
except Exception as e:  # a malformed signature raises
    ok = False
    collect.lines.append(repr(e))
if ok:
    print("pass")
    sys.exit(0)
print("fail: " + " | ".join(collect.lines[-5:]))
sys.exit(1)
