#!/usr/bin/env python3
"""Reads a message made by transport_email_message the way a mail client
would, and checks it against what test_transport.c meant to send.

usage: check_email.py MESSAGE EXPECTED.json

EXPECTED.json holds from_name, from_addr, to_name, to_addr, subject, body
(Unicode).  Prints OK and exits 0 when everything matches; otherwise prints
each difference and exits 1.
"""
import email.parser
import email.policy
import json
import sys


def problems(raw, want):
    msg = email.parser.BytesParser(policy=email.policy.default).parsebytes(raw)
    head = raw.split(b"\n\n", 1)[0]
    for line in head.split(b"\n"):
        if len(line) > 78:
            yield "header line longer than 78: %r" % line
        if any(b >= 0x80 or (b < 0x20 and b != 0x09) for b in line):
            yield "header line not plain ASCII: %r" % line
    if b"\r" in raw:
        yield "CR in the message: sendmail -t wants local line ends"
    for name in ("Bcc", "Cc"):
        if name in msg:
            yield "a %s header appeared: %r" % (name, msg[name])
    for field in ("From", "To"):
        addrs = msg[field].addresses
        key = field.lower()
        if len(addrs) != 1:
            yield "%s has %d mailboxes: %r" % (field, len(addrs), str(msg[field]))
            continue
        if addrs[0].display_name != want[key + "_name"]:
            yield "%s name %r, want %r" % (field, addrs[0].display_name, want[key + "_name"])
        if addrs[0].addr_spec != want[key + "_addr"]:
            yield "%s address %r, want %r" % (field, addrs[0].addr_spec, want[key + "_addr"])
    if str(msg["Subject"]) != want["subject"]:
        yield "Subject %r, want %r" % (str(msg["Subject"]), want["subject"])
    for field in ("Date", "Message-ID", "MIME-Version"):
        if field not in msg:
            yield "no %s header" % field
    if msg.get_content_type() != "text/plain" or msg.get_content_charset() != "utf-8":
        yield "content type %r" % msg["Content-Type"]
    # RFC 2045 canonical text is CRLF; compare the text, not the line ends.
    body = msg.get_content().replace("\r\n", "\n")
    if body != want["body"]:
        yield "body %r, want %r" % (body, want["body"])


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    with open(sys.argv[2], encoding="utf-8") as f:
        want = json.load(f)
    found = list(problems(raw, want))
    for p in found:
        print("# check_email:", p)
    if found:
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
