"""``gazetteer download CC``: against a real HTTP server on 127.0.0.1 serving zips this test makes."""

import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mali_map.cli import main
from mali_map.gazetteer.userstore import list_gazetteers
from test_gazetteer_user import geonames_row


def dump_zip(code="ML"):
    rows = [
        geonames_row(9300001, "Dangaténé", 12.95, -7.45, "PPL", "07", 800),
        geonames_row(9300002, "Sirakoro", 11.90, -6.40, "PPL", "06", 1500),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{code}.txt", "\n".join(rows) + "\n")
        archive.writestr("readme.txt", "test dump\n")
    return buffer.getvalue()


class Server:
    """Serves ``files`` (path -> bytes); ``cut`` paths announce their full length but send half and hang up."""

    def __init__(self, files, cut=()):
        self.files, self.cut = files, set(cut)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = outer.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/zip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.path in outer.cut:
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/dump"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve(monkeypatch):
    servers = []

    def start(files, cut=()):
        server = Server(files, cut)
        servers.append(server)
        monkeypatch.setenv("MALI_MAP_GEONAMES_URL", server.url)
        return server

    yield start
    for server in servers:
        server.close()


def test_download_imports_the_country_dump(serve, capsys):
    serve({"/dump/ML.zip": dump_zip("ML")})
    assert main(["gazetteer", "download", "ml", "--json", "--progress"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert (report["name"], report["rows"]) == ("geonames-ml", 2)
    assert "downloading ML.zip" in err and "100%" in err
    assert [g.name for g in list_gazetteers()] == ["geonames-ml"]
    assert main(["geocode", "Dangatene, Koulikoro, Mali", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["lat"] == 12.95


def test_a_broken_zip_imports_nothing(serve, capsys):
    serve({"/dump/ML.zip": b"PK\x03\x04 this is not a zip at all" * 10})
    assert main(["gazetteer", "download", "ML"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "zip" in err
    assert list_gazetteers() == []


def test_an_interrupted_download_imports_nothing(serve, capsys):
    good = dump_zip("ML")
    serve({"/dump/ML.zip": good, "/dump/BF.zip": dump_zip("BF")}, cut={"/dump/BF.zip"})
    assert main(["gazetteer", "download", "ML", "BF"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "BF.zip" in err
    assert list_gazetteers() == []  # not even ML: the run is all or nothing


def test_a_missing_country_and_a_bad_code(serve, capsys):
    serve({})
    assert main(["gazetteer", "download", "ML"]) == 2
    assert "404" in capsys.readouterr().err
    assert main(["gazetteer", "download", "Mali"]) == 2
    assert "two-letter" in capsys.readouterr().err


def test_a_refused_connection_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("MALI_MAP_GEONAMES_URL", "http://127.0.0.1:9/dump")
    assert main(["gazetteer", "download", "ML"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "download failed" in err
