// Small RAII wrappers over HDF5 ids and the handful of operations the writer, resume and merge
// use. Included only by engine/output/*.cpp (the only files that see <hdf5.h>). Every failure
// throws ResourceError with the innermost HDF5 message ("No space left on device", ...);
// HDF5's own error printing is switched off.
#pragma once
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace gossip::h5 {

// An owned hid_t, closed with the matching H5?close.
class Id {
 public:
  Id() = default;
  explicit Id(hid_t id) : id_(id) {}
  Id(Id&& o) noexcept : id_(o.id_) { o.id_ = H5I_INVALID_HID; }
  Id& operator=(Id&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      o.id_ = H5I_INVALID_HID;
    }
    return *this;
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  ~Id() { reset(); }
  hid_t get() const { return id_; }
  operator hid_t() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset();

 private:
  hid_t id_ = H5I_INVALID_HID;
};

// Throws ResourceError("what: <innermost HDF5 message>") when r < 0; returns r.
hid_t check(hid_t r, const std::string& what);
void quiet();  // no automatic error stack printing (once per process)

Id create_file(const std::string& path, bool file_locking);   // truncates; libver v110 for SWMR
// clear_status: also clear the superblock flags a killed SWMR writer leaves behind (h5clear -s);
// only for a file whose writer is known to be gone (--resume after a checkpoint).
Id open_file(const std::string& path, bool write, bool swmr, bool file_locking, bool clear_status = false);
void start_swmr(hid_t file);
void flush(hid_t file);

Id group(hid_t loc, const std::string& name);        // creates
Id open_group(hid_t loc, const std::string& name);
Id open_dataset(hid_t loc, const std::string& name);
bool exists(hid_t loc, const std::string& path);      // every link on the path

void attr(hid_t loc, const std::string& name, const std::string& value);  // scalar VL UTF-8
void attr(hid_t loc, const std::string& name, const char* value);
void attr(hid_t loc, const std::string& name, std::int64_t value);
void attr(hid_t loc, const std::string& name, std::uint64_t value);
void attr(hid_t loc, const std::string& name, double value);
void attr(hid_t loc, const std::string& name, bool value);                  // int8 0/1
void attr(hid_t loc, const std::string& name, const std::vector<std::int32_t>& value);
void attr(hid_t loc, const std::string& name, const std::vector<std::uint64_t>& value);
std::string attr_string(hid_t loc, const std::string& name);
std::int64_t attr_int(hid_t loc, const std::string& name);
std::vector<std::string> attr_names(hid_t loc);
void copy_attrs(hid_t from, hid_t to);                  // every attribute, as stored

void string_dataset(hid_t loc, const std::string& name, const std::string& text);
std::string read_string_dataset(hid_t loc, const std::string& name);
// A chunked 1-D dataset of variable-length UTF-8 strings (shuffle + deflate on the chunks),
// written whole; and read back whole.
void string_column(hid_t loc, const std::string& name, const std::vector<std::string>& values, hsize_t chunk);
std::vector<std::string> read_string_column(hid_t loc, const std::string& name);

// A chunked dataset of `type`: dims now, maxdims (H5S_UNLIMITED allowed), fill value, shuffle +
// deflate level 1.
Id dataset(hid_t loc, const std::string& name, hid_t type, const std::vector<hsize_t>& dims,
           const std::vector<hsize_t>& maxdims, const std::vector<hsize_t>& chunk, const void* fill);

std::vector<hsize_t> dims(hid_t ds);
void set_extent(hid_t ds, const std::vector<hsize_t>& dims);

// Writes/reads the block [start, start + count) from/to a contiguous buffer of `memtype`.
void write(hid_t ds, hid_t memtype, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count,
           const void* data);
void read(hid_t ds, hid_t memtype, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count, void* data);
// Reads the elements at the given indices of a 1-D dataset (ascending) into a contiguous buffer.
void read_points(hid_t ds, hid_t memtype, const std::vector<hsize_t>& index, void* data);
// Sets the block to the dataset's fill value.
void fill(hid_t ds, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count);

}  // namespace gossip::h5
