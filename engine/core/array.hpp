// Array<T>: a heap array of trivially copyable T that is NOT value-initialised on allocation.
// Big graph arrays (10^9 entries) are filled by parallel loops; a std::vector would first zero
// them on one thread (slow, and every page first-touched by that thread). shrink() gives the
// tail back (realloc: for large blocks an in-place mremap, no copy). Array::view() instead wraps
// read-only memory owned elsewhere (a memory-mapped binary CSR file, io/gcsr.hpp) and keeps its
// owner alive; a view must only be read.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

#include <sys/mman.h>
#include <span>
#include <type_traits>

namespace gossip {

template <class T>
class Array {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  Array() = default;
  explicit Array(std::size_t n) : data_(allocate(n)), size_(n) {}
  // n elements at p, owned by `owner` (e.g. a file mapping); nothing is copied or freed here.
  static Array view(const T* p, std::size_t n, std::shared_ptr<const void> owner) {
    Array a;
    a.data_ = std::unique_ptr<T, Free>(const_cast<T*>(p), Free{false});
    a.size_ = n;
    a.owner_ = std::move(owner);
    return a;
  }
  bool is_view() const noexcept { return !data_.get_deleter().owned; }

  T* data() noexcept { return data_.get(); }
  const T* data() const noexcept { return data_.get(); }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t bytes() const noexcept { return size_ * sizeof(T); }
  T& operator[](std::size_t i) noexcept { return data_.get()[i]; }
  const T& operator[](std::size_t i) const noexcept { return data_.get()[i]; }
  T* begin() noexcept { return data(); }
  T* end() noexcept { return data() + size_; }
  const T* begin() const noexcept { return data(); }
  const T* end() const noexcept { return data() + size_; }
  std::span<T> span() noexcept { return {data(), size_}; }
  std::span<const T> span() const noexcept { return {data(), size_}; }
  void reset() noexcept {
    data_.reset();
    owner_.reset();
    size_ = 0;
  }
  void shrink(std::size_t n) {
    if (n >= size_) return;
    if (n == 0) return reset();
    if (is_view()) {
      size_ = n;
      return;
    }
    if (void* p = std::realloc(data_.get(), n * sizeof(T))) {
      (void)data_.release();
      data_.reset(static_cast<T*>(p));
    }
    size_ = n;
  }

 private:
  struct Free {
    bool owned = true;
    void operator()(T* p) const noexcept {
      if (owned) std::free(p);
    }
  };
  // Large arrays are 2 MiB aligned and advised to use transparent huge pages: random access
  // over gigabytes (scatter, gather) then misses the TLB far less often.
  static T* allocate(std::size_t n) {
    if (n == 0) return nullptr;
    if (n > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
    const std::size_t bytes = n * sizeof(T);
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    if (bytes < kHuge) {
      void* p = std::malloc(bytes);
      if (!p) throw std::bad_alloc();
      return static_cast<T*>(p);
    }
    void* p = std::aligned_alloc(kHuge, (bytes + kHuge - 1) / kHuge * kHuge);
    if (!p) throw std::bad_alloc();
    madvise(p, bytes, MADV_HUGEPAGE);
    return static_cast<T*>(p);
  }
  std::unique_ptr<T, Free> data_;
  std::size_t size_ = 0;
  std::shared_ptr<const void> owner_;  // set for views only
};

}  // namespace gossip
