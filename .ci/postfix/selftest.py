#!/usr/bin/env python3
"""Checks a running test instance of postfix-ctl.sh with a raw client (python3 standard library only).

    python3 .ci/postfix/selftest.py DIR

Reads DIR/instance.properties and checks: EHLO capabilities (AUTH list, PIPELINING, CHUNKING, SIZE,
STARTTLS), every SASL mechanism (ANONYMOUS, PLAIN, LOGIN, CRAM-MD5, DIGEST-MD5) succeeds with 235,
a wrong password gives 535 for each, authenticated mail lands in DIR/delivered, unauthenticated
RCPT on the auth port is refused, reject.example gives 550 5.1.1 and busy.example 450 4.2.1 at RCPT,
blocked.example 553 at MAIL, BDAT (CHUNKING) works, the anonymous port takes mail after AUTH
ANONYMOUS and without AUTH, STARTTLS and the SMTPS port work. Not part of the build: a tool for
people changing postfix-ctl.sh (the JUnit PostfixSmokeIT covers the essentials in CI).
"""
import base64
import hashlib
import hmac
import os
import smtplib
import ssl
import sys
import time
import uuid


def props(directory):
    result = {}
    with open(os.path.join(directory, "instance.properties")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                k, v = line.split("=", 1)
                result[k] = v
    return result


def digest_md5_response(challenge, user, password, host):
    fields = {}
    rest = challenge
    while rest:
        k, rest = rest.split("=", 1)
        if rest.startswith('"'):
            end = rest.index('"', 1)
            v, rest = rest[1:end], rest[end + 1:]
        else:
            v, _, rest = rest.partition(",")
            rest = "," + rest if rest else ""
        fields[k.strip()] = v
        rest = rest.lstrip(",").strip()
    realm = fields.get("realm", "")
    nonce = fields["nonce"]
    cnonce = base64.b64encode(os.urandom(12)).decode()
    nc = "00000001"
    uri = "smtp/" + host
    a1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).digest() + f":{nonce}:{cnonce}".encode()
    ha1 = hashlib.md5(a1).hexdigest()
    ha2 = hashlib.md5(f"AUTHENTICATE:{uri}".encode()).hexdigest()
    resp = hashlib.md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}".encode()).hexdigest()
    return (f'charset=utf-8,username="{user}",realm="{realm}",nonce="{nonce}",nc={nc},'
            f'cnonce="{cnonce}",digest-uri="{uri}",maxbuf=65536,response={resp},qop=auth'), realm


class Checker:
    def __init__(self, directory):
        self.dir = directory
        self.p = props(directory)
        self.host = self.p["host"]
        self.user = self.p["user.1"]
        self.password = self.p["password.1"]
        self.failures = 0

    def check(self, what, ok, detail=""):
        print(("PASS " if ok else "FAIL ") + what + (f"  [{detail}]" if detail else ""))
        if not ok:
            self.failures += 1

    def connect(self, port_key="auth.port"):
        s = smtplib.SMTP(self.host, int(self.p[port_key]), timeout=10)
        s.ehlo("selftest.example")
        return s

    def auth(self, s, mech, user, password):
        """returns the final (code, text) of AUTH mech"""
        if mech == "PLAIN":
            ir = base64.b64encode(f"\0{user}\0{password}".encode()).decode()
            return s.docmd("AUTH PLAIN", ir)
        if mech == "LOGIN":
            code, _ = s.docmd("AUTH LOGIN")
            if code != 334:
                return code, _
            code, _ = s.docmd(base64.b64encode(user.encode()).decode())
            if code != 334:
                return code, _
            return s.docmd(base64.b64encode(password.encode()).decode())
        if mech == "CRAM-MD5":
            code, ch = s.docmd("AUTH CRAM-MD5")
            if code != 334:
                return code, ch
            digest = hmac.new(password.encode(), base64.b64decode(ch), hashlib.md5).hexdigest()
            return s.docmd(base64.b64encode(f"{user} {digest}".encode()).decode())
        if mech == "DIGEST-MD5":
            code, ch = s.docmd("AUTH DIGEST-MD5")
            if code != 334:
                return code, ch
            resp, _ = digest_md5_response(base64.b64decode(ch).decode(), user, password, self.host)
            code, rspauth = s.docmd(base64.b64encode(resp.encode()).decode())
            if code != 334:
                return code, rspauth
            return s.docmd("")
        if mech == "ANONYMOUS":
            return s.docmd("AUTH ANONYMOUS", base64.b64encode(b"selftest@example.org").decode())
        raise ValueError(mech)

    def message(self, marker, rcpt="someone@example.org"):
        return (f"From: <sender@example.org>\r\nTo: <{rcpt}>\r\nSubject: selftest {marker}\r\n"
                f"Message-ID: <{marker}@selftest.example>\r\n\r\nbody {marker}\r\n..dot line\r\n").encode()

    def await_delivered(self, marker, timeout=15):
        deadline = time.time() + timeout
        folder = os.path.join(self.dir, "delivered")
        while time.time() < deadline:
            for name in sorted(os.listdir(folder)):
                if name.endswith(".eml"):
                    with open(os.path.join(folder, name), "rb") as f:
                        data = f.read()
                    if marker.encode() in data:
                        return name, data
            time.sleep(0.1)
        return None, None

    def run(self):
        # capabilities
        s = self.connect()
        feats = s.esmtp_features
        mechs = feats.get("auth", "").split()
        self.check("EHLO offers AUTH " + " ".join(mechs),
                   all(m in mechs for m in ["ANONYMOUS", "PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5"]))
        for cap in ["pipelining", "chunking", "size", "starttls", "8bitmime", "smtputf8", "dsn",
                    "enhancedstatuscodes"]:
            self.check("EHLO offers " + cap.upper(), cap in feats, feats.get(cap, ""))
        s.quit()

        # every mechanism, right and wrong password
        for mech in ["PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5"]:
            s = self.connect()
            code, text = self.auth(s, mech, self.user, self.password)
            self.check(f"AUTH {mech} as {self.user} -> 235", code == 235, f"{code} {text.decode()}")
            marker = f"mech-{mech}-{uuid.uuid4().hex}"
            s.sendmail("sender@example.org", ["someone@example.org"], self.message(marker))
            s.quit()
            name, data = self.await_delivered(marker)
            self.check(f"mail after AUTH {mech} delivered", name is not None, name or "")
            s = self.connect()
            code, text = self.auth(s, mech, self.user, "wrong-password")
            self.check(f"AUTH {mech} with a wrong password -> 535", code == 535, f"{code} {text.decode()}")
            s.quit()
        # user@realm works for PLAIN too
        s = self.connect()
        code, text = self.auth(s, "PLAIN", f"{self.user}@{self.p['realm']}", self.password)
        self.check(f"AUTH PLAIN as {self.user}@{self.p['realm']} -> 235", code == 235, f"{code}")
        s.quit()

        # no AUTH on the auth port: refused at RCPT
        s = self.connect()
        s.docmd("MAIL FROM:<sender@example.org>")
        code, text = s.docmd("RCPT TO:<someone@example.org>")
        self.check("auth port without AUTH: RCPT refused (5xx)", 500 <= code < 600, f"{code} {text.decode()}")
        s.quit()

        # ANONYMOUS on the auth port and on the anonymous port
        for port_key in ["auth.port", "anonymous.port"]:
            s = self.connect(port_key)
            code, text = self.auth(s, "ANONYMOUS", None, None)
            self.check(f"AUTH ANONYMOUS on {port_key} -> 235", code == 235, f"{code} {text.decode()}")
            s.docmd("MAIL FROM:<sender@example.org>")
            code, text = s.docmd("RCPT TO:<someone@example.org>")
            print(f"INFO {port_key}: RCPT after AUTH ANONYMOUS -> {code} {text.decode()}")
            if port_key == "anonymous.port":
                self.check("anonymous port: RCPT after AUTH ANONYMOUS accepted", code == 250)
                marker = f"anon-{uuid.uuid4().hex}"
                code, text = s.data(self.message(marker))
                self.check("anonymous port: DATA accepted", code == 250, f"{code} {text.decode()}")
                name, _ = self.await_delivered(marker)
                self.check("anonymous mail delivered", name is not None, name or "")
            s.quit()
        s = self.connect("anonymous.port")
        marker = f"noauth-{uuid.uuid4().hex}"
        s.sendmail("sender@example.org", ["someone@example.org"], self.message(marker))
        s.quit()
        self.check("anonymous port without AUTH delivered", self.await_delivered(marker)[0] is not None)

        # policy: recipient rejections at RCPT, sender rejection at MAIL
        s = self.connect()
        self.auth(s, "PLAIN", self.user, self.password)
        code, text = s.docmd("MAIL FROM:<blocked@blocked.example>")
        self.check("MAIL FROM blocked.example -> 553", code == 553, f"{code} {text.decode()}")
        s.docmd("RSET")
        s.docmd("MAIL FROM:<sender@example.org>")
        code, text = s.docmd("RCPT TO:<nobody@reject.example>")
        self.check("RCPT reject.example -> 550 5.1.1", code == 550 and text.startswith(b"5.1.1"),
                   f"{code} {text.decode()}")
        code, text = s.docmd("RCPT TO:<later@busy.example>")
        self.check("RCPT busy.example -> 450 4.2.1", code == 450 and text.startswith(b"4.2.1"),
                   f"{code} {text.decode()}")
        code, text = s.docmd("RCPT TO:<ok@example.org>")
        self.check("RCPT example.org -> 250", code == 250, f"{code} {text.decode()}")
        code, text = s.docmd("RCPT TO:<gone@discard.example>")
        self.check("RCPT discard.example -> 250", code == 250, f"{code} {text.decode()}")
        marker = f"partial-{uuid.uuid4().hex}"
        code, text = s.data(self.message(marker, "ok@example.org"))
        self.check("DATA after partial RCPT -> 250 queued", code == 250, f"{code} {text.decode()}")
        s.quit()
        name, data = self.await_delivered(marker)
        ok = name is not None and b"X-Envelope-To: <ok@example.org>" in data \
            and b"discard.example" not in data.split(b"\n\n", 1)[0].replace(b"To: <ok", b"")
        self.check("partial mail delivered to ok@example.org only", ok, name or "")

        # BDAT (CHUNKING): two chunks, the last one LAST
        s = self.connect()
        self.auth(s, "PLAIN", self.user, self.password)
        s.docmd("MAIL FROM:<sender@example.org>")
        s.docmd("RCPT TO:<bdat@example.org>")
        marker = f"bdat-{uuid.uuid4().hex}"
        body = self.message(marker, "bdat@example.org")
        first, second = body[:40], body[40:]
        s.send(f"BDAT {len(first)}\r\n".encode() + first)
        code, text = s.getreply()
        self.check("BDAT chunk 1 -> 250", code == 250, f"{code} {text.decode()}")
        s.send(f"BDAT {len(second)} LAST\r\n".encode() + second)
        code, text = s.getreply()
        self.check("BDAT LAST -> 250 queued", code == 250, f"{code} {text.decode()}")
        s.quit()
        name, data = self.await_delivered(marker)
        self.check("BDAT mail delivered", name is not None, name or "")
        if data:
            self.check("delivered file keeps headers (Message-ID)", f"Message-ID: <{marker}@".encode() in data)
            self.check("BDAT content not dot-stuffed: '..dot line' kept", b"\n..dot line" in data)

        # STARTTLS on the auth port and implicit TLS on the smtps port, trusting our certificate
        ctx = ssl.create_default_context(cafile=self.p["certificate"])
        s = self.connect()
        code, _ = s.starttls(context=ctx)
        s.ehlo("selftest.example")
        code, text = self.auth(s, "PLAIN", self.user, self.password)
        self.check("STARTTLS (hostname check against 127.0.0.1) + AUTH PLAIN -> 235", code == 235)
        s.quit()
        s = smtplib.SMTP_SSL(self.host, int(self.p["smtps.port"]), timeout=10, context=ctx)
        s.ehlo("selftest.example")
        code, text = self.auth(s, "CRAM-MD5", self.user, self.password)
        marker = f"smtps-{uuid.uuid4().hex}"
        s.sendmail("sender@example.org", ["someone@example.org"], self.message(marker))
        s.quit()
        self.check("SMTPS + AUTH CRAM-MD5 -> 235 and delivered",
                   code == 235 and self.await_delivered(marker)[0] is not None)

        print(f"{self.failures} failure(s)")
        return 1 if self.failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(Checker(sys.argv[1]).run())
