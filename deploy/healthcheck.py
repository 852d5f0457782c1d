"""Health check of a web container (docker-compose.yml): `python deploy/healthcheck.py`.

Healthy when the web process answers /healthz and its database is reachable. A broker outage is
reported but does not make the web process unhealthy: pages keep working and email waits in the
outbox until Redis is back (docs/email-and-monitoring.md).
"""

import json
import os
import sys
import urllib.error
import urllib.request


def allowed_host() -> str:
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def main() -> int:
    request = urllib.request.Request(
        "http://127.0.0.1:8000/healthz",
        headers={"Host": allowed_host(), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            body = response.read()
    except urllib.error.HTTPError as error:  # 503 says which part failed
        body = error.read()
    except OSError as error:
        print(f"web: no answer: {error}")
        return 1
    checks = json.loads(body or b"{}")
    print(checks)
    return 0 if checks.get("database") == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
