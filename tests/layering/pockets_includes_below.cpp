// Compiles: an analysis sees core, geometry and io (the control for the two above).
#include "hearth/analysis/pockets/deprivation_pockets.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/geometry/crs.hpp"
#include "hearth/io/study.hpp"
