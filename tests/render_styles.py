#!/usr/bin/python3
"""Renders every layer Hearth writes for the sample study with its default QGIS style
(PyQGIS, offscreen) and fails when a map would not read: a blank image, one colour
where classes are expected, or labels missing where the style asks for them.

    render_styles.py --hearth build/hearth --study sample-data/high-road-west/study.yaml [--keep DIR]

Run it with Debian's /usr/bin/python3 (python3-qgis) and QT_QPA_PLATFORM=offscreen.
"""
import argparse
import os
import subprocess
import sys
import tempfile

from qgis.core import QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings, QgsVectorLayer
from osgeo import ogr
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

# Layers whose default style labels features (the issue "maps that read").
LABELLED = {"wards", "rail_stations", "gp_practices", "deprivation_pockets"}
# Layers whose numbers only read as a choropleth (classes in a legend), never one colour.
CHOROPLETHS = {"lsoa_deprivation", "lsoa21_general_health", "home_access", "lsoa_deprivation_access", "wards_access",
               "ptal_grid", "pocket_areas", "local_moran", "getis_ord", "catchment_areas", "catchment_homes"}
# Share of the drawn (non-background) pixels a colour must cover to count as one the
# reader sees; anti-aliased edges fall below it.
DOMINANT = 0.01


def hearth_outputs(hearth, study, folder):
    outputs = []
    for command in ("export", "access", "pockets"):
        out = os.path.join(folder, command + ".gpkg")
        subprocess.run([hearth, "-q", command, "--study", study, "--out", out], check=True)
        outputs.append(out)
    # hearth assess: the sample's briefs, every layer of assessment.gpkg
    briefs = os.path.join(os.path.dirname(study), "briefs")
    out = os.path.join(folder, "assess")
    subprocess.run([hearth, "-q", "assess", "--study", study, "--out", out] +
                   [a for b in sorted(os.listdir(briefs)) for a in ("--brief", os.path.join(briefs, b))], check=True)
    outputs.append(os.path.join(out, "assessment.gpkg"))
    return outputs


def dominant_colours(image):
    """Colours (other than the white background) covering at least DOMINANT of what is drawn,
    and the share of the image drawn at all."""
    counts = {}
    width, height = image.width(), image.height()
    step = 2  # every other pixel is plenty for coverage shares
    total = 0
    for y in range(0, height, step):
        for x in range(0, width, step):
            rgb = image.pixel(x, y) & 0xFFFFFF
            counts[rgb] = counts.get(rgb, 0) + 1
            total += 1
    background = counts.pop(0xFFFFFF, 0)
    drawn = total - background
    dominant = {c for c, n in counts.items() if drawn and n / drawn >= DOMINANT}
    return dominant, drawn / total


def render(layer, png):
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(QSize(900, 700))
    settings.setExtent(layer.extent().buffered(max(layer.extent().width(), layer.extent().height()) * 0.03 + 1))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    if png:
        image.save(png)
    return image


def check_layer(path, name, keep):
    layer = QgsVectorLayer(path + "|layername=" + name, name, "ogr")
    if not layer.isValid():
        return ["does not open in QGIS"]
    message, loaded = layer.loadDefaultStyle()
    if not loaded:
        return ["has no default style QGIS can load (" + message + ")"]
    png = os.path.join(keep, os.path.basename(path).replace(".gpkg", "") + "-" + name + ".png") if keep else None
    if layer.featureCount() == 0:
        return ["is empty: an output layer with nothing to draw"]
    image = render(layer, png)
    colours, covered = dominant_colours(image)
    renderer = layer.renderer().type()
    problems = []
    if covered < 0.0002:
        problems.append("renders blank")
    classes = renderer in ("categorizedSymbol", "graduatedSymbol")
    needed = 2 if classes else 1  # classes: at least two of them on the map
    if len(colours) < needed:
        problems.append("renders %d colour(s) with a %s renderer" % (len(colours), renderer))
    if name in CHOROPLETHS and not classes:
        problems.append("is one colour (%s); expected classes of its values" % renderer)
    if classes:
        items = layer.renderer().legendSymbolItems()
        if any(not item.label() for item in items):
            problems.append("has an unlabelled legend class")
    if name in LABELLED and not layer.labelsEnabled():
        problems.append("has no labels")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hearth", required=True)
    parser.add_argument("--study", required=True)
    parser.add_argument("--keep", help="folder to keep the rendered PNGs in")
    args = parser.parse_args()
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    failures, checked = [], 0
    with tempfile.TemporaryDirectory() as folder:
        for path in hearth_outputs(args.hearth, args.study, folder):
            dataset = ogr.Open(path)
            names = [dataset.GetLayer(i).GetName() for i in range(dataset.GetLayerCount())]
            dataset = None
            for name in names:
                if name == "layer_styles":
                    continue
                probe = QgsVectorLayer(path + "|layername=" + name, name, "ogr")
                if not probe.isSpatial():
                    continue
                checked += 1
                for problem in check_layer(path, name, args.keep):
                    failures.append("%s %s: %s" % (os.path.basename(path), name, problem))
    for f in failures:
        print("FAIL " + f)
    failed = len({f.split(":")[0] for f in failures})
    print("render: %d passed, %d failed" % (checked - failed, failed))
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # QGIS 3.22 can crash while tearing down its registries at exit; the verdict is already out.
    os._exit(code)
