#pragma once
// A LayerStyle as a QGIS QML document, the form QGIS keeps in a GeoPackage's
// layer_styles table and opens as the layer's default style.

#include <string>

#include "hearth/core/layer_style.hpp"

namespace hearth {

enum class SymbolKind { Marker, Line, Fill };

/// QGIS QML document ("<qgis ...><renderer-v2 ...>") for `style` on a layer of `kind`.
std::string qgis_style_qml(const LayerStyle& style, SymbolKind kind);

}  // namespace hearth
