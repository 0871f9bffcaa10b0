// The bytes of an input file: a read-only memory mapping of the file (RAII), or, for a gzip
// file (recognised by its magic bytes 1f 8b), the decompressed text in a heap buffer. A path
// that is missing, a directory, unreadable or empty, and a truncated or corrupt gzip stream are
// InputErrors ("path: ..."); a failed mapping or allocation is a ResourceError.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace gossip::io {

// A read-only mapping of a whole file; unmapped when the last owner lets go.
class MappedFile {
 public:
  // Throws InputError when the path cannot be opened as a non-empty regular file.
  // read_ahead: ask the kernel to read the whole file in now (text parsing), else leave the default.
  explicit MappedFile(const std::string& path, bool read_ahead = true);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const char* data() const { return static_cast<const char*>(addr_); }
  std::size_t size() const { return size_; }
  std::string_view bytes() const { return {data(), size_}; }

 private:
  void* addr_ = nullptr;
  std::size_t size_ = 0;
};

// The text of a (possibly gzip-compressed) input file.
class InputText {
 public:
  explicit InputText(const std::string& path);
  std::string_view text() const { return text_; }
  bool was_gzip() const { return gzip_; }
  std::uint64_t file_bytes() const { return file_bytes_; }

 private:
  std::shared_ptr<MappedFile> file_;
  std::unique_ptr<char[], void (*)(char*)> heap_{nullptr, nullptr};
  std::string_view text_;
  std::uint64_t file_bytes_ = 0;
  bool gzip_ = false;
};

// Decompresses a whole gzip stream (concatenated members allowed); `path` names it in errors.
// Exposed for the gzip fuzz target. Returns the buffer and sets `size`.
std::unique_ptr<char[], void (*)(char*)> gunzip(std::string_view compressed, const std::string& path,
                                                std::size_t& size);

bool is_gzip(std::string_view bytes);

}  // namespace gossip::io
