"""The report opened in a real headless Chromium: every chart is laid out, drawn and visibly coloured.

Two runs of Debian's ``chromium``: one dumps the DOM of a copy of the report with a
measuring script appended (chart sizes and drawn shapes, as the browser laid them
out); one takes a screenshot of the untouched report, in which each chart's area
must hold real ink.  The report itself has no script.
"""
import json
import re
import shutil
import subprocess

import pytest
from PIL import Image

from hub.report import charts
from tests.insight.conftest import PERIOD
from tests.insight.helpers import report

WIDTH = 1280
MEASURE = """<script>
const charts = [...document.querySelectorAll("figure.chart")].map(f => {
  const svg = f.querySelector("svg"), box = svg.getBoundingClientRect();
  return {id: f.id, x: box.left + scrollX, y: box.top + scrollY, width: box.width, height: box.height,
          drawn: [...svg.querySelectorAll("path:not(defs path)")].filter(p => (p.getAttribute("d") || "").length > 8).length};
});
const out = document.createElement("pre");
out.id = "measured";
out.textContent = JSON.stringify({charts, scripts: document.scripts.length - 1});
document.body.appendChild(out);
</script>"""


def chromium(*args, tmp_path) -> str:
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("chromium is not installed (apt-get install chromium; run.sh lists it)")
    run = subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'chromium-profile'}", *args],
        capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


@pytest.fixture(scope="module")
def page(week, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    html, _figures = report(out, week[0], **PERIOD)
    return html, out


@pytest.fixture(scope="module")
def measured(page):
    """What Chromium laid out: each chart's box on the page and how many shapes its SVG draws."""
    html, out = page
    measured_copy = out / "measured.html"
    measured_copy.write_text(html.read_text().replace("</body>", MEASURE + "</body>"))
    dom = chromium(f"--window-size={WIDTH},1000", "--dump-dom", measured_copy.as_uri(), tmp_path=out)
    return json.loads(re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S).group(1).replace("&quot;", '"'))


def test_every_chart_is_laid_out_and_drawn(measured):
    assert measured["scripts"] == 0, "the report must work without scripts"
    assert [c["id"] for c in measured["charts"]] == [f"chart-{key}" for key in charts.CHARTS]
    for chart in measured["charts"]:
        assert chart["width"] > 500 and chart["height"] > 200, chart
        assert chart["drawn"] >= 4, chart  # axes and series; an empty chart is one background shape


def test_a_screenshot_shows_ink_in_every_chart(page, measured):
    html, out = page
    layout = measured["charts"]
    height = int(max(c["y"] + c["height"] for c in layout)) + 40
    shot = out / "report.png"
    chromium(f"--window-size={WIDTH},{height}", f"--screenshot={shot}", html.as_uri(), tmp_path=out)
    image = Image.open(shot).convert("RGB")
    assert image.size == (WIDTH, height)
    for chart in layout:
        area = image.crop((int(chart["x"]), int(chart["y"]), int(chart["x"] + chart["width"]),
                           int(chart["y"] + chart["height"])))
        pixels = list(area.getdata())
        ink = sum(1 for p in pixels if sum(p) < 600) / len(pixels)
        coloured = sum(1 for p in pixels if max(p) - min(p) > 60) / len(pixels)  # the series' blue and orange
        assert ink > 0.01 and coloured > 0.005, (chart["id"], ink, coloured)  # "no data" text alone has no colour
