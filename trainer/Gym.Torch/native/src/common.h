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

// Runs f; on any C++ exception records its message and returns the failure value.
template <class F>
auto tensor_call(F&& f) -> gt_tensor* {
  try {
    return wrap(f());
  } catch (const c10::Error& e) {
    set_error(e.what_without_backtrace());
  } catch (const std::exception& e) {
    set_error(e.what());
  } catch (...) {
    set_error("unknown C++ exception");
  }
  return nullptr;
}

template <class F>
int status_call(F&& f) {
  try {
    f();
    return 0;
  } catch (const c10::Error& e) {
    set_error(e.what_without_backtrace());
  } catch (const std::exception& e) {
    set_error(e.what());
  } catch (...) {
    set_error("unknown C++ exception");
  }
  return -1;
}

}  // namespace gt
