#include "output/h5.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "core/error.hpp"

namespace gossip::h5 {
namespace {

// The innermost message of the error stack, or the first that carries a system error.
herr_t innermost(unsigned n, const H5E_error2_t* e, void* out) {
  auto& msg = *static_cast<std::string*>(out);
  if (!e->desc) return 0;
  const bool system = std::string_view(e->desc).find("error message = '") != std::string_view::npos;
  if (n == 0 || (system && msg.find("error message = '") == std::string::npos)) msg = e->desc;
  return 0;
}

Id vl_utf8() {
  Id t(check(H5Tcopy(H5T_C_S1), "string type"));
  check(H5Tset_size(t, H5T_VARIABLE), "string type");
  check(H5Tset_cset(t, H5T_CSET_UTF8), "string type");
  return t;
}

Id scalar_space() { return Id(check(H5Screate(H5S_SCALAR), "dataspace")); }

Id simple_space(const std::vector<hsize_t>& d, const std::vector<hsize_t>* maxd = nullptr) {
  return Id(check(H5Screate_simple(static_cast<int>(d.size()), d.data(), maxd ? maxd->data() : nullptr), "dataspace"));
}

Id fapl(bool file_locking) {
  Id p(check(H5Pcreate(H5P_FILE_ACCESS), "file access list"));
  check(H5Pset_libver_bounds(p, H5F_LIBVER_V110, H5F_LIBVER_V110), "libver bounds");
  check(H5Pset_file_locking(p, file_locking, true), "file locking");
  return p;
}

void write_attr(hid_t loc, const std::string& name, hid_t type, hid_t space, const void* data) {
  if (H5Aexists(loc, name.c_str()) > 0) check(H5Adelete(loc, name.c_str()), "attribute " + name);
  Id a(check(H5Acreate2(loc, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), "attribute " + name));
  check(H5Awrite(a, type, data), "attribute " + name);
}

void scalar_attr(hid_t loc, const std::string& name, hid_t type, const void* data) {
  write_attr(loc, name, type, scalar_space(), data);
}

Id select(hid_t ds, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count) {
  Id space(check(H5Dget_space(ds), "dataspace"));
  check(H5Sselect_hyperslab(space, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr), "selection");
  return space;
}

}  // namespace

void Id::reset() {
  if (id_ < 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE: H5Fclose(id_); break;
    case H5I_GROUP: H5Gclose(id_); break;
    case H5I_DATASET: H5Dclose(id_); break;
    case H5I_DATASPACE: H5Sclose(id_); break;
    case H5I_DATATYPE: H5Tclose(id_); break;
    case H5I_ATTR: H5Aclose(id_); break;
    case H5I_GENPROP_LST: H5Pclose(id_); break;
    default: H5Idec_ref(id_); break;
  }
  id_ = H5I_INVALID_HID;
}

// The HDF5 error stack as one line (then cleared). A failed system call comes as "...,
// errno = 28, error message = 'No space left on device', ...": keep the system's message.
std::string stack_message() {
  std::string msg;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &msg);
  H5Eclear2(H5E_DEFAULT);
  if (const auto at = msg.find("error message = '"); at != std::string::npos) {
    const auto from = at + 17;
    msg = msg.substr(from, msg.find('\'', from) - from);
  }
  for (char& c : msg)
    if (c == '\n' || c == '\r') c = ' ';
  return msg;
}

hid_t check(hid_t r, const std::string& what) {
  if (r >= 0) return r;
  const std::string msg = stack_message();
  throw ResourceError(msg.empty() ? what : fmt::format("{}: {}", what, msg));
}

// A failed write: the stack's message is taken before H5Fget_name (an API call) clears it.
[[noreturn]] void write_failed(hid_t obj) {
  const std::string msg = stack_message();
  char name[4096] = {};
  const std::string file = H5Fget_name(obj, name, sizeof name) > 0 ? name : "the output";
  throw ResourceError(msg.empty() ? fmt::format("cannot write '{}'", file) : fmt::format("cannot write '{}': {}", file, msg));
}

void quiet() {
  static std::once_flag once;
  std::call_once(once, [] {
    // No library shutdown at exit: after a failed write (a full disk) HDF5 1.10's shutdown
    // crashes on the half-closed file. Every handle is closed explicitly instead.
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  });
}


Id create_file(const std::string& path, bool file_locking) {
  quiet();
  return Id(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl(file_locking)),
                  fmt::format("cannot create '{}'", path)));
}

Id open_file(const std::string& path, bool write, bool swmr, bool file_locking, bool clear_status) {
  quiet();
  unsigned flags = write ? H5F_ACC_RDWR : H5F_ACC_RDONLY;
  if (swmr) flags |= write ? H5F_ACC_SWMR_WRITE : H5F_ACC_SWMR_READ;
  Id p = fapl(file_locking);
  if (clear_status) {  // what `h5clear -s` does: forget the flags a killed SWMR writer left set
    hbool_t yes = true;
    check(H5Pset(p, "clear_status_flags", &yes), "clearing the file status flags");
  }
  return Id(check(H5Fopen(path.c_str(), flags, p), fmt::format("cannot open '{}'", path)));
}

void start_swmr(hid_t file) {
  if (H5Fstart_swmr_write(file) < 0) write_failed(file);
}
void flush(hid_t file) {
  if (H5Fflush(file, H5F_SCOPE_GLOBAL) < 0) write_failed(file);
}

Id group(hid_t loc, const std::string& name) {
  return Id(check(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "group " + name));
}
Id open_group(hid_t loc, const std::string& name) {
  return Id(check(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), "group " + name));
}
Id open_dataset(hid_t loc, const std::string& name) {
  return Id(check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), "dataset " + name));
}

bool exists(hid_t loc, const std::string& path) {
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    const std::string prefix = path.substr(0, pos);
    if (prefix.empty() || prefix == "/") continue;
    if (H5Lexists(loc, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
  }
  return true;
}

void attr(hid_t loc, const std::string& name, const std::string& value) {
  const char* p = value.c_str();
  scalar_attr(loc, name, vl_utf8(), &p);
}
void attr(hid_t loc, const std::string& name, const char* value) { attr(loc, name, std::string(value)); }
void attr(hid_t loc, const std::string& name, std::int64_t value) { scalar_attr(loc, name, H5T_NATIVE_INT64, &value); }
void attr(hid_t loc, const std::string& name, std::uint64_t value) { scalar_attr(loc, name, H5T_NATIVE_UINT64, &value); }
void attr(hid_t loc, const std::string& name, double value) { scalar_attr(loc, name, H5T_NATIVE_DOUBLE, &value); }
void attr(hid_t loc, const std::string& name, bool value) {
  const std::int8_t v = value;
  scalar_attr(loc, name, H5T_NATIVE_INT8, &v);
}
void attr(hid_t loc, const std::string& name, const std::vector<std::int32_t>& value) {
  write_attr(loc, name, H5T_NATIVE_INT32, simple_space({value.size()}), value.data());
}
void attr(hid_t loc, const std::string& name, const std::vector<std::uint64_t>& value) {
  if (value.empty()) {  // an empty list: a null dataspace (h5py reads it as an Empty)
    const std::uint64_t none = 0;
    return write_attr(loc, name, H5T_NATIVE_UINT64, Id(check(H5Screate(H5S_NULL), "dataspace")), &none);
  }
  write_attr(loc, name, H5T_NATIVE_UINT64, simple_space({value.size()}), value.data());
}

std::string attr_string(hid_t loc, const std::string& name) {
  Id a(check(H5Aopen(loc, name.c_str(), H5P_DEFAULT), "attribute " + name));
  Id t = vl_utf8();
  char* p = nullptr;
  check(H5Aread(a, t, &p), "attribute " + name);
  std::string s = p ? p : "";
  H5free_memory(p);
  return s;
}

std::int64_t attr_int(hid_t loc, const std::string& name) {
  Id a(check(H5Aopen(loc, name.c_str(), H5P_DEFAULT), "attribute " + name));
  std::int64_t v = 0;
  check(H5Aread(a, H5T_NATIVE_INT64, &v), "attribute " + name);
  return v;
}

std::vector<std::string> attr_names(hid_t loc) {
  std::vector<std::string> names;
  H5Aiterate2(loc, H5_INDEX_CRT_ORDER, H5_ITER_NATIVE, nullptr,
              [](hid_t, const char* name, const H5A_info_t*, void* out) -> herr_t {
                static_cast<std::vector<std::string>*>(out)->emplace_back(name);
                return 0;
              },
              &names);
  return names;
}

void copy_attrs(hid_t from, hid_t to) {
  for (const std::string& name : attr_names(from)) {
    Id a(check(H5Aopen(from, name.c_str(), H5P_DEFAULT), "attribute " + name));
    Id type(check(H5Aget_type(a), "attribute type"));
    Id space(check(H5Aget_space(a), "attribute space"));
    const auto count = static_cast<std::size_t>(std::max<hssize_t>(1, H5Sget_simple_extent_npoints(space)));
    std::vector<unsigned char> buf(count * H5Tget_size(type));
    check(H5Aread(a, type, buf.data()), "attribute " + name);
    write_attr(to, name, type, space, buf.data());
    if (H5Tis_variable_str(type) > 0) H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf.data());
  }
}

void string_dataset(hid_t loc, const std::string& name, const std::string& text) {
  Id t = vl_utf8();
  Id d(check(H5Dcreate2(loc, name.c_str(), t, scalar_space(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "dataset " + name));
  const char* p = text.c_str();
  check(H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "dataset " + name);
}

std::string read_string_dataset(hid_t loc, const std::string& name) {
  Id d = open_dataset(loc, name);
  Id t = vl_utf8();
  char* p = nullptr;
  check(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "dataset " + name);
  std::string s = p ? p : "";
  H5free_memory(p);
  return s;
}

void string_column(hid_t loc, const std::string& name, const std::vector<std::string>& values, hsize_t chunk) {
  Id t = vl_utf8();
  const std::vector<hsize_t> d{values.size()}, maxd{H5S_UNLIMITED}, c{std::max<hsize_t>(1, chunk)};
  Id dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "dataset properties"));
  check(H5Pset_chunk(dcpl, 1, c.data()), "chunk " + name);
  check(H5Pset_shuffle(dcpl), "shuffle " + name);
  check(H5Pset_deflate(dcpl, 1), "deflate " + name);
  Id ds(check(H5Dcreate2(loc, name.c_str(), t, simple_space(d, &maxd), H5P_DEFAULT, dcpl, H5P_DEFAULT),
              "dataset " + name));
  if (values.empty()) return;
  std::vector<const char*> p(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) p[i] = values[i].c_str();
  if (H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()) < 0) write_failed(ds);
}

std::vector<std::string> read_string_column(hid_t loc, const std::string& name) {
  Id ds = open_dataset(loc, name);
  Id t = vl_utf8();
  Id space(check(H5Dget_space(ds), "dataspace"));
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<char*> p(static_cast<std::size_t>(std::max<hssize_t>(0, n)), nullptr);
  if (p.empty()) return {};
  check(H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), "dataset " + name);
  std::vector<std::string> out(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) out[i] = p[i] ? p[i] : "";
  H5Dvlen_reclaim(t, space, H5P_DEFAULT, p.data());
  return out;
}

Id dataset(hid_t loc, const std::string& name, hid_t type, const std::vector<hsize_t>& d,
           const std::vector<hsize_t>& maxd, const std::vector<hsize_t>& chunk, const void* fill_value) {
  Id dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "dataset properties"));
  check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), "chunk " + name);
  check(H5Pset_fill_value(dcpl, type, fill_value), "fill value " + name);
  check(H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC), "fill time " + name);
  check(H5Pset_shuffle(dcpl), "shuffle " + name);
  check(H5Pset_deflate(dcpl, 1), "deflate " + name);
  return Id(check(H5Dcreate2(loc, name.c_str(), type, simple_space(d, &maxd), H5P_DEFAULT, dcpl, H5P_DEFAULT),
                  "dataset " + name));
}

std::vector<hsize_t> dims(hid_t ds) {
  Id space(check(H5Dget_space(ds), "dataspace"));
  std::vector<hsize_t> d(static_cast<std::size_t>(check(H5Sget_simple_extent_ndims(space), "rank")));
  H5Sget_simple_extent_dims(space, d.data(), nullptr);
  return d;
}

void set_extent(hid_t ds, const std::vector<hsize_t>& d) {
  if (H5Dset_extent(ds, d.data()) < 0) write_failed(ds);
}

void write(hid_t ds, hid_t memtype, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count,
           const void* data) {
  if (std::ranges::find(count, hsize_t{0}) != count.end()) return;
  Id file_space = select(ds, start, count);
  Id mem = simple_space(count);
  if (H5Dwrite(ds, memtype, mem, file_space, H5P_DEFAULT, data) < 0) write_failed(ds);
}

void read(hid_t ds, hid_t memtype, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count, void* data) {
  if (std::ranges::find(count, hsize_t{0}) != count.end()) return;
  Id file_space = select(ds, start, count);
  Id mem = simple_space(count);
  check(H5Dread(ds, memtype, mem, file_space, H5P_DEFAULT, data), "reading a dataset");
}

void read_points(hid_t ds, hid_t memtype, const std::vector<hsize_t>& index, void* data) {
  if (index.empty()) return;
  Id file_space(check(H5Dget_space(ds), "dataspace"));
  check(H5Sselect_elements(file_space, H5S_SELECT_SET, index.size(), index.data()), "selection");
  Id mem = simple_space({index.size()});
  check(H5Dread(ds, memtype, mem, file_space, H5P_DEFAULT, data), "reading a dataset");
}

void fill(hid_t ds, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count) {
  if (std::ranges::find(count, hsize_t{0}) != count.end()) return;
  Id ftype(check(H5Dget_type(ds), "dataset type"));
  Id type(check(H5Tget_native_type(ftype, H5T_DIR_ASCEND), "dataset type"));
  Id dcpl(check(H5Dget_create_plist(ds), "dataset properties"));
  const std::size_t size = H5Tget_size(type);
  std::vector<unsigned char> one(size);
  check(H5Pget_fill_value(dcpl, type, one.data()), "fill value");
  std::size_t row = size;  // bytes per index of the first dimension
  for (std::size_t i = 1; i < count.size(); ++i) row *= count[i];
  const hsize_t rows_per_write = std::max<hsize_t>(1, (hsize_t{64} << 20) / row);
  std::vector<unsigned char> buf(std::min(rows_per_write, count[0]) * row);
  for (std::size_t i = 0; i < buf.size(); i += size) std::memcpy(buf.data() + i, one.data(), size);
  for (hsize_t r = 0; r < count[0]; r += rows_per_write) {
    std::vector<hsize_t> s = start, c = count;
    s[0] += r;
    c[0] = std::min(rows_per_write, count[0] - r);
    write(ds, type, s, c, buf.data());
  }
}

}  // namespace gossip::h5
