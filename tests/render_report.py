#!/usr/bin/python3
"""Opens the sample's report.html in headless Chromium and fails when it would not read:
no screenshot, a blank page, or the maps and the scorecard missing from the picture.

    render_report.py --hearth build/hearth --sample sample-data/high-road-west [--keep DIR]

What is looked for in the screenshot (each colour over a share of the pixels):
the IMD decile 1 fill of the deprivation map, the green space fill of the second map,
and the scorecard's rating badges (green and amber). Run with Debian's /usr/bin/python3
(python3-pil, python3-numpy); Chromium is Debian's `chromium`.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import numpy
from PIL import Image

def over_map_background(colour, opacity):
    """A fill drawn at `opacity` over the maps' background (#f7f7f4)."""
    return tuple(round(opacity * c + (1 - opacity) * b) for c, b in zip(colour, (0xf7, 0xf7, 0xf4)))


CHECKS = {
    "IMD decile 1 on the deprivation map": (0xa5, 0x00, 0x26),
    "green space on the second map": over_map_background((0x4d, 0xaf, 0x4a), 0.85),
    "green rating badges": (0x1a, 0x98, 0x50),
    "amber rating badges": (0xf3, 0x9c, 0x12),
}
MIN_SHARE = 0.0005  # of the page's pixels


def share_near(pixels, target, tolerance=18):
    """Share of the pixels within `tolerance` of `target` on every channel."""
    near = numpy.all(numpy.abs(pixels - numpy.array(target, dtype=numpy.int16)) <= tolerance, axis=1)
    return float(near.mean())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hearth", required=True)
    parser.add_argument("--sample", required=True)
    parser.add_argument("--keep")
    args = parser.parse_args()
    browser = shutil.which("chromium")
    if not browser:
        print("render_report: chromium is not installed (scripts/setup installs it)", file=sys.stderr)
        return 1
    folder = args.keep or tempfile.mkdtemp(prefix="hearth-report-")
    out = os.path.join(folder, "assessment")
    briefs = os.path.join(args.sample, "briefs")
    subprocess.run([args.hearth, "-q", "assess", "--study", os.path.join(args.sample, "study.yaml"),
                    "--brief", os.path.join(briefs, "high_road_west_scheme.yaml"),
                    "--brief", os.path.join(briefs, "lower_density_alternative.yaml"), "--out", out], check=True)
    shot = os.path.join(folder, "report.png")
    profile = os.path.join(folder, "chromium-profile")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--user-data-dir=" + profile, "--window-size=1280,4200", "--screenshot=" + shot,
                    "file://" + os.path.join(out, "report.html")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    if not os.path.exists(shot):
        print("render_report: chromium wrote no screenshot", file=sys.stderr)
        return 1
    image = Image.open(shot).convert("RGB")
    pixels = numpy.asarray(image, dtype=numpy.int16).reshape(-1, 3)
    failures = []
    distinct = len(numpy.unique(pixels, axis=0))
    if distinct < 50:
        failures.append("the page is nearly blank (%d colours)" % distinct)
    for what, target in CHECKS.items():
        share = share_near(pixels, target)
        print("%-40s %.4f" % (what, share))
        if share < MIN_SHARE:
            failures.append("%s not seen (%.5f of the pixels)" % (what, share))
    if failures:
        for f in failures:
            print("render_report: " + f, file=sys.stderr)
        print("render_report: screenshot kept at " + shot, file=sys.stderr)
        return 1
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
