// Shared by the shim's sources: handle conversion and the exception barrier.
#pragma once
#include <torch/torch.h>
#include <string>
#include "gym_torch.h"

struct gt_tensor { at::Tensor t; };
struct gt_generator { at::Generator g; };

namespace gt {

void set_error(const char* message);
void clear_error();

inline gt_tensor* wrap(at::Tensor t) { return new gt_tensor{std::move(t)}; }
inline at::Tensor& T(gt_tensor* h) {
  if (h == nullptr) throw std::invalid_argument("null tensor handle");
  return h->t;
}

inline at::Device device(int type, int index) {
  return type == 1 ? at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index)) : at::Device(at::kCPU);
}
inline at::TensorOptions options(int dtype, int device_type, int device_index) {
  return at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)).device(device(device_type, device_index));
}
inline at::IntArrayRef dims(const int64_t* p, int n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

// Runs f; on any C++ exception records its message and returns false. The one exception barrier of the shim.
template <class F>
bool guarded(F&& f) {
  try {
    f();
    return true;
  } catch (const c10::Error& e) {
    set_error(e.what_without_backtrace());
  } catch (const std::exception& e) {
    set_error(e.what());
  } catch (...) {
    set_error("unknown C++ exception");
  }
  return false;
}

// A tensor-returning call: the new handle, or null after an exception.
template <class F>
gt_tensor* tensor_call(F&& f) {
  gt_tensor* result = nullptr;
  return guarded([&] { result = wrap(f()); }) ? result : nullptr;
}

// A status-returning call: 0, or -1 after an exception.
template <class F>
int status_call(F&& f) {
  return guarded(std::forward<F>(f)) ? 0 : -1;
}

}  // namespace gt
