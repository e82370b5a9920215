"""The HTML KPI report as a browser shows it (issue 14 item 4): headless Chromium renders the Chinese page; the
test reads back the rendered DOM (text, element sizes measured in the page) and a screenshot (its size and that
it is not blank). No pixel comparison: fonts and anti-aliasing differ between machines.

Chromium is Debian's ``chromium`` package, installed by ``make system-deps`` (so ``make test`` always runs this).
The test skips only where chromium is missing and apt cannot install it; missing but installable, it fails and
says how to install it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from kefu.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _chromium() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    policy = subprocess.run(["apt-cache", "policy", "chromium"], capture_output=True, text=True, check=False) \
        if shutil.which("apt-cache") else None
    candidate = re.search(r"Candidate:\s*(\S+)", policy.stdout) if policy and policy.returncode == 0 else None
    if candidate and candidate.group(1) != "(none)":
        pytest.fail(f"chromium is not installed but apt can install it ({candidate.group(1)}): run `make system-deps` "
                    "(or apt-get install chromium fonts-wqy-microhei)")
    pytest.skip("chromium is not installed and apt cannot install it here (no apt-cache, or no candidate for the "
                "chromium package): the browser test of the HTML report needs Debian's chromium")


def _run(browser: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                           "--hide-scrollbars", "--no-first-run", "--mute-audio", *args],
                          capture_output=True, text=True, timeout=180, check=False)


#: Injected into a copy of the page: measures what a reader would see and writes it as JSON into the DOM,
#: which --dump-dom then prints.
MEASURE = """<script>
window.addEventListener('load', () => {
  const box = e => { const r = e.getBoundingClientRect(); return {w: r.width, h: r.height}; };
  const lineHeight = parseFloat(getComputedStyle(document.body).lineHeight);
  const cells = [...document.querySelectorAll('td, th')];
  const out = {
    lang: document.documentElement.lang,
    font: getComputedStyle(document.body).fontFamily,
    h1: document.querySelector('h1').textContent,
    summary: document.getElementById('summary').textContent,
    headings: [...document.querySelectorAll('h2, h3')].map(h => h.textContent),
    headers: [...document.querySelectorAll('table')[0].querySelectorAll('tr:first-child th')].map(th => th.textContent),
    images: [...document.querySelectorAll('figure img')].map(i => ({alt: i.alt, natural: [i.naturalWidth, i.naturalHeight],
                                                                  shown: box(i), complete: i.complete})),
    captions: [...document.querySelectorAll('figcaption')].map(c => c.textContent),
    lineHeight: lineHeight,
    tallestCell: Math.max(...cells.map(c => box(c).h)),
    wrapped: cells.filter(c => box(c).h > 1.6 * lineHeight).map(c => c.textContent).slice(0, 5),
    flags: [...document.querySelectorAll('#flags li')].map(l => l.textContent),
  };
  const pre = document.createElement('pre'); pre.id = 'measured'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    """The Chinese report page, as `kefu report --lang zh --html` writes it."""
    out = tmp_path_factory.mktemp("browser") / "kpi-zh.html"
    assert main(["report", "--lang", "zh", "--records", str(DATA / "records.csv"), "--html", str(out)]) == 0
    return out


def test_chromium_renders_the_chinese_report_and_its_charts(page, tmp_path):
    browser = _chromium()
    measured = tmp_path / "measured.html"
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    run = _run(browser, "--window-size=1280,2000", "--virtual-time-budget=10000", "--dump-dom", measured.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    found = re.search(r'<pre id="measured">(.*?)</pre>', run.stdout, re.S)
    assert found, run.stdout[-2000:]
    import html

    m = json.loads(html.unescape(found.group(1)))

    assert m["lang"] == "zh-CN"
    assert "Noto Sans CJK SC" in m["font"] and "Microsoft YaHei" in m["font"]
    assert m["h1"] == "客服 KPI 报告"
    # Dates in the calendar's zone: the first tickets are from 2025-12-01 +08:00 (2025-11-30 in UTC).
    assert m["summary"].startswith("共 3000 张工单，2025-12-01 至 2026-03-31（+08:00）。")
    assert m["headings"][:4] == ["各渠道", "各渠道排队等待", "各团队", "月度服务之星（002 §7.3；至少20张工单的客服，满意度按已评价工单计）"]
    assert m["headings"][4:] == ["评分卡 smart-counter-monthly（2026-03）", "标记"]
    assert m["headers"][1:7] == ["工单数", "首次响应时长 FRT", "FRT P90", "首次响应达标率", "平均响应时长 ART", "平均处理时长 AHT"]
    # Three charts, decoded and laid out at a readable size (not 0×0 broken images, not squeezed).
    assert [i["alt"] for i in m["images"]] == ["首次响应时长分布", "各渠道 SLA 达成率", "各客服评分卡"]
    for image in m["images"]:
        assert image["complete"] and image["natural"][0] >= 700 and image["natural"][1] >= 300, image
        assert 600 <= image["shown"]["w"] <= 1280 and image["shown"]["h"] >= 250, image
    # The FRT chart's target lines are listed under it; the SLA chart says no target applies.
    assert m["captions"][0] == "虚线：目标（在线 ≤ 30秒；电话 ≤ 15秒；邮件 ≤ 2小时）。"
    assert m["captions"][1] == "目标 service-kpis 中没有适用于此图的目标。"
    # Long values stay on one line (a table scrolls sideways instead).
    assert m["wrapped"] == [], m["wrapped"]
    assert m["tallestCell"] < 1.6 * m["lineHeight"]
    assert "A01: 需再培训" in m["flags"] and any(f.endswith("纪律审查") for f in m["flags"])


def _png_size_and_colours(path: Path) -> tuple[int, int, int]:
    """Width, height and number of distinct colours of an 8-bit RGB(A) PNG (no imaging library needed)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour_type = header[:4]
    assert depth == 8 and colour_type in (2, 6), header
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):  # undo the PNG row filters
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b, c = prev[x], prev[x - channels] if x >= channels else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    colours = {row[x:x + 3] for row in rows[::7] for x in range(0, stride, channels * 5)}
    return width, height, len(colours)


def test_chromium_screenshot_of_the_report_is_not_blank(page, tmp_path):
    browser = _chromium()
    shot = tmp_path / "report.png"
    run = _run(browser, "--window-size=1000,1400", "--virtual-time-budget=10000", f"--screenshot={shot}", page.as_uri())
    assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
    width, height, colours = _png_size_and_colours(shot)
    assert (width, height) == (1000, 1400)
    # Text, coloured table cells and chart lines: a page that failed to render is one or two colours.
    assert colours > 50, colours


def test_report_page_dates_are_local_not_utc(tmp_path):
    """The header's first day is the first ticket's local date (2025-12-01 00:xx +08:00 is 2025-11-30 in UTC)."""
    import kefu.kpi as kk
    from kefu import report

    records = kk.read_records(DATA / "records.csv")
    assert records["created_at"].min().tz_convert("UTC").date() == dt.date(2025, 11, 30)  # the old header's date
    assert report.local_span(records) == (dt.date(2025, 12, 1), dt.date(2026, 3, 31))
    out = tmp_path / "en.html"
    assert main(["report", "--lang", "en", "--html", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "3000 tickets, 2025-12-01 – 2026-03-31 (+08:00)." in text


def test_charts_find_a_cjk_font():
    """Chinese chart labels need a font with CJK glyphs: matplotlib finds the one `make system-deps` installs
    (fonts-wqy-microhei), even when it was installed after matplotlib built its font cache."""
    from kefu import report

    font = report.cjk_font()
    if font is None:
        policy = subprocess.run(["apt-cache", "policy", "fonts-wqy-microhei"], capture_output=True, text=True,
                                check=False) if shutil.which("apt-cache") else None
        if policy and re.search(r"Candidate:\s*(?!\(none\))\S+", policy.stdout):
            pytest.fail("no CJK font for the charts, but apt can install one: run `make system-deps` "
                        "(or apt-get install fonts-wqy-microhei)")
        pytest.skip("no CJK font on this machine and apt cannot install fonts-wqy-microhei")
    assert font in report.CJK_FONTS
