#!/usr/bin/python3
"""Writes the sample's export into the test cluster's PostGIS and opens each table as QGIS
does (the postgres provider), checking that QGIS finds its default style in
public.layer_styles and draws it with the renderer the GeoPackage export gets.

    postgis_qgis_style.py --hearth build/hearth --study sample-data/high-road-west/study.yaml --state DIR

Run with Debian's /usr/bin/python3 (python3-qgis), QT_QPA_PLATFORM=offscreen; DIR holds the
cluster's conninfo (tests/postgis_cluster).
"""
import argparse
import os
import subprocess
import sys

from qgis.core import QgsApplication, QgsDataSourceUri, QgsVectorLayer

# The renderer each layer's recipe style asks for (docs: layers/*.yaml).
EXPECTED = {"lsoa_deprivation": "categorizedSymbol", "lsoa21_general_health": "graduatedSymbol",
            "housing_stock": "categorizedSymbol", "wards": "singleSymbol", "rail_stations": "categorizedSymbol"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hearth", required=True)
    parser.add_argument("--study", required=True)
    parser.add_argument("--state", required=True)
    args = parser.parse_args()
    conninfo = open(os.path.join(args.state, "conninfo")).read().strip()
    subprocess.run([args.hearth, "-q", "--overwrite", "--schema", "qgis_styles", "export", "--study", args.study,
                    "--out", "PG:" + conninfo], check=True)
    parts = dict(p.split("=", 1) for p in conninfo.split())

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    failures = []
    for table, renderer in EXPECTED.items():
        uri = QgsDataSourceUri()
        uri.setConnection(parts["host"], parts["port"], parts["dbname"], parts["user"], parts["password"])
        uri.setDataSource("qgis_styles", table, "geom", "", "fid")
        layer = QgsVectorLayer(uri.uri(False), table, "postgres")
        if not layer.isValid():
            failures.append("%s: QGIS cannot open the table" % table)
            continue
        message, loaded = layer.loadDefaultStyle()
        if not loaded:
            failures.append("%s: no default style from public.layer_styles (%s)" % (table, message))
            continue
        if layer.renderer().type() != renderer:
            failures.append("%s: renderer %s, expected %s" % (table, layer.renderer().type(), renderer))
        if layer.featureCount() <= 0:
            failures.append("%s: no features" % table)
        print("%-24s %s, %d features" % (table, layer.renderer().type(), layer.featureCount()))
    for f in failures:
        print("FAIL " + f)
    print("postgis styles: %d passed, %d failed" % (len(EXPECTED) - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # QGIS 3.22 can crash tearing down its registries; the verdict is out
