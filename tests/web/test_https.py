"""HTTPS: with a certificate the web service serves TLS only, and its cookies are marked Secure."""
import http.client
import ssl
import subprocess
import urllib.request

import pytest

from bench.harness import EXAMPLE_CONFIG
from bench.web_rig import WebProcess


def test_with_a_certificate_it_serves_https_and_secure_cookies(broker, tmp_path):
    cert, key = tmp_path / "web.pem", tmp_path / "web.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    web = WebProcess(broker, tmp_path / "web.db", {}, EXAMPLE_CONFIG, "--tls-cert", str(cert), "--tls-key", str(key))
    web.start()
    try:
        trusting = ssl.create_default_context(cafile=str(cert))
        trusting.check_hostname = False
        with urllib.request.urlopen(f"https://127.0.0.1:{web.port}/login", context=trusting, timeout=10) as page:
            assert page.status == 200
            cookie = page.headers["set-cookie"]
        assert "reception_login=" in cookie and "Secure" in cookie and "HttpOnly" in cookie
        with pytest.raises((OSError, http.client.HTTPException)):  # no plain HTTP beside it
            urllib.request.urlopen(f"http://127.0.0.1:{web.port}/login", timeout=5)
    finally:
        web.stop()
