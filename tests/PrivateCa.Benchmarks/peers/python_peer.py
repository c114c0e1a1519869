"""New HTTPS connections per second from Python, against the same server and bundle as the other peers.

  requests   requests.get(url, verify=bundle): a new session and connection each time; the bundle is re-read each time
  httpclient http.client.HTTPSConnection with one ssl.SSLContext built once from the bundle
"""
import http.client
import ssl
import sys
import time


def main():
    kind, url, bundle, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    host, port = url.split("//")[1].rstrip("/").split(":")
    if kind == "requests":
        import requests

        def once():
            requests.get(url, verify=bundle).raise_for_status()
    else:
        context = ssl.create_default_context(cafile=bundle)

        def once():
            connection = http.client.HTTPSConnection(host, int(port), context=context)
            connection.request("GET", "/")
            connection.getresponse().read()
            connection.close()

    for _ in range(20):
        once()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        once()
        count += 1
    print(f"{count / (time.perf_counter() - start):.1f}")


if __name__ == "__main__":
    main()
