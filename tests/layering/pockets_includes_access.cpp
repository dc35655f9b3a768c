// Must not compile: one analysis may not see another.
#include "hearth/analysis/access/ptal.hpp"
