#!/usr/bin/env python3
"""The agent config (agent.json) edits and checks tools/install.sh needs; standard library only.

  agent_config.py device-id FILE          the effective Agent:DeviceId ("" when the file sets none)
  agent_config.py public-key FILE         checks a pinned trigger-set key; prints its key id
  agent_config.py write IN OUT [values]   IN with the given values set, written to OUT

Key names are the agent's own (Core AgentOptions, Uplink UplinkOptions and RemoteConfigOptions).
Errors go to stderr as one line naming the file; the exit code is 1.
"""
import argparse
import base64
import binascii
import hashlib
import json
import re
import sys

# DER of the AlgorithmIdentifier every P-256 SubjectPublicKeyInfo carries:
# SEQUENCE { OID 1.2.840.10045.2.1 (ecPublicKey), OID 1.2.840.10045.3.1.7 (prime256v1) }.
P256_ALGORITHM = bytes.fromhex("301306072a8648ce3d020106082a8648ce3d030107")


class Refused(Exception):
    pass


def strip_comments(text):
    """The agent reads its JSON with comments and trailing commas allowed; Python's json does not."""
    out, i, n, in_string = [], 0, len(text), False
    while i < n:
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))  # keeps line numbers for errors
            i = end
            continue
        else:
            out.append(c)
        i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise Refused(f"{path}: cannot read it ({e.strerror})")
    plain = strip_comments(text)
    try:
        document = json.loads(plain)
    except json.JSONDecodeError as e:
        raise Refused(f"{path}:{e.lineno}:{e.colno}: not valid JSON ({e.msg})")
    if not isinstance(document, dict):
        raise Refused(f"{path}: the top level is not a JSON object")
    return document, plain != text


def put(document, path, name, key, value):
    section = document.setdefault(name, {})
    if not isinstance(section, dict):
        raise Refused(f"{path}: '{name}' is not an object")
    section[key] = value


def device_id(args):
    document, _ = load(args.file)
    agent = document.get("Agent")
    value = agent.get("DeviceId") if isinstance(agent, dict) else None
    print(value if isinstance(value, str) else "")


def public_key(args):
    path = args.file
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            text = f.read()
    except OSError as e:
        raise Refused(f"{path}: cannot read it ({e.strerror})")
    if "PRIVATE KEY-----" in text:
        raise Refused(f"{path} holds a private key: pin the public one (edgectl keys new wrote it beside, as <prefix>.pub)")
    if "-----BEGIN CERTIFICATE-----" in text:
        raise Refused(f"{path} holds a certificate, not a trigger-set signing key (the public key from edgectl keys new)")
    match = re.search(r"-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----", text, re.S)
    if match is None:
        raise Refused(f"{path} is not a PEM public key (no BEGIN/END PUBLIC KEY block)")
    try:
        der = base64.b64decode("".join(match.group(1).split()), validate=True)
    except (binascii.Error, ValueError):
        raise Refused(f"{path}: the PEM public key's body is not base64")
    if len(der) < 2 + len(P256_ALGORITHM) or der[2:2 + len(P256_ALGORITHM)] != P256_ALGORITHM:
        raise Refused(f"{path} is a public key but not ECDSA P-256 (trigger sets are signed with P-256: edgectl keys new)")
    # The agent's key id: the first 8 bytes of the SHA-256 of the SubjectPublicKeyInfo (FleetKeys.KeyIdOf).
    print(hashlib.sha256(der).hexdigest()[:16])


def write(args):
    document, had_comments = load(args.input)
    before = json.dumps(document, sort_keys=True)
    values = [
        ("Agent", "Fleet", args.fleet),
        ("Agent", "DeviceId", args.device_id),
        ("Uplink", "Host", args.host),
        ("Uplink", "Port", args.port),
        ("Uplink", "UseTls", True if args.tls else None),
        ("Uplink", "CaCertificatePath", args.ca),
        ("Uplink", "ClientCertificatePath", args.cert),
        ("Uplink", "ClientKeyPath", args.key),
        ("RemoteConfig", "TrustedKeyPaths", args.trusted_key or None),
        ("RemoteConfig", "Groups", args.group or None),
    ]
    for name, key, value in values:
        if value is not None:
            put(document, args.input, name, key, value)
    uplink = document.get("Uplink")
    if args.host is not None and uplink.get("UseEmbeddedBroker") is True:
        uplink["UseEmbeddedBroker"] = False  # the device reaches the fleet's broker, not one of its own
    if json.dumps(document, sort_keys=True) == before:
        # Nothing new: the file stays byte for byte as it was (an operator's formatting and comments).
        with open(args.input, encoding="utf-8") as f:
            text = f.read()
    else:
        if had_comments:
            raise Refused(f"{args.input} has comments, which rewriting it would lose: set these values in it by hand, or remove the comments")
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(prog="agent_config.py")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("device-id")
    p.add_argument("file")
    p.set_defaults(run=device_id)
    p = commands.add_parser("public-key")
    p.add_argument("file")
    p.set_defaults(run=public_key)
    p = commands.add_parser("write")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--fleet")
    p.add_argument("--device-id")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--tls", action="store_true")
    p.add_argument("--ca")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--trusted-key", action="append", default=[])
    p.add_argument("--group", action="append", default=[])
    p.set_defaults(run=write)
    args = parser.parse_args()
    try:
        args.run(args)
    except Refused as e:
        print(f"install.sh: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
