// The HDF5 library version linked in (engine/output/ is the only place that includes <hdf5.h>).
#pragma once
#include <string>

namespace gossip {

std::string hdf5_version();

}  // namespace gossip
