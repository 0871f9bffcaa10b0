#include "io/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

#include "core/error.hpp"

namespace gossip::io {
namespace {

[[noreturn]] void fail_input(const std::string& path, const std::string& what) {
  throw InputError(path + ": " + what);
}

void free_buffer(char* p) { std::free(p); }

}  // namespace

MappedFile::MappedFile(const std::string& path, bool read_ahead) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) fail_input(path, std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    fail_input(path, std::string("cannot stat: ") + std::strerror(e));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    fail_input(path, "is a directory, expected a graph file");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    fail_input(path, "is not a regular file");
  }
  if (st.st_size == 0) {
    ::close(fd);
    fail_input(path, "empty file, expected a graph");
  }
  size_ = static_cast<std::size_t>(st.st_size);
  addr_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
  const int e = errno;
  ::close(fd);
  if (addr_ == MAP_FAILED) {
    addr_ = nullptr;
    throw ResourceError(path + ": cannot map the file: " + std::strerror(e));
  }
  // Text is read three times (io/edge_list.hpp): ask for read-ahead, not MADV_SEQUENTIAL,
  // which would let the kernel drop pages right after the first pass.
  if (read_ahead) ::madvise(addr_, size_, MADV_WILLNEED);
}

MappedFile::~MappedFile() {
  if (addr_) ::munmap(addr_, size_);
}

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

std::unique_ptr<char[], void (*)(char*)> gunzip(std::string_view in, const std::string& path, std::size_t& size) {
  std::unique_ptr<char[], void (*)(char*)> out(nullptr, free_buffer);
  std::size_t cap = std::max<std::size_t>(in.size() * 4, 1 << 16);
  out.reset(static_cast<char*>(std::malloc(cap)));
  if (!out) throw std::bad_alloc();
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) throw ResourceError(path + ": zlib initialisation failed");
  struct End {
    z_stream* z;
    ~End() { inflateEnd(z); }
  } end{&z};
  std::size_t pos = 0, used = 0;
  int rc = Z_OK;
  constexpr std::size_t kMaxChunk = std::numeric_limits<uInt>::max() / 2;
  for (;;) {
    if (used == cap) {
      cap *= 2;
      char* p = static_cast<char*>(std::realloc(out.get(), cap));
      if (!p) throw std::bad_alloc();
      (void)out.release();
      out.reset(p);
    }
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + pos));
    z.avail_in = static_cast<uInt>(std::min(in.size() - pos, kMaxChunk));
    z.next_out = reinterpret_cast<Bytef*>(out.get() + used);
    z.avail_out = static_cast<uInt>(std::min(cap - used, kMaxChunk));
    const uInt had_in = z.avail_in, had_out = z.avail_out;
    rc = inflate(&z, Z_NO_FLUSH);
    pos += had_in - z.avail_in;
    used += had_out - z.avail_out;
    if (rc == Z_STREAM_END) {
      // Another gzip member may follow (as `cat a.gz b.gz` makes); trailing zero padding is ignored.
      while (pos < in.size() && in[pos] == '\0') ++pos;
      if (pos == in.size()) break;
      if (!is_gzip(in.substr(pos))) fail_input(path, "trailing data after the gzip stream");
      inflateReset(&z);
      continue;
    }
    if (rc == Z_BUF_ERROR && pos == in.size() && z.avail_out > 0)
      fail_input(path, "truncated gzip stream (the file ends inside compressed data)");
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      if (rc == Z_MEM_ERROR) throw std::bad_alloc();
      fail_input(path, std::string("corrupt gzip stream: ") + (z.msg ? z.msg : "inflate failed"));
    }
  }
  size = used;
  return out;
}

InputText::InputText(const std::string& path) : file_(std::make_shared<MappedFile>(path)) {
  file_bytes_ = file_->size();
  if (is_gzip(file_->bytes())) {
    gzip_ = true;
    std::size_t n = 0;
    heap_ = gunzip(file_->bytes(), path, n);
    file_.reset();
    text_ = {heap_.get(), n};
    if (n == 0) throw InputError(path + ": empty file (after gzip decompression), expected a graph");
  } else {
    text_ = file_->bytes();
  }
}

}  // namespace gossip::io
