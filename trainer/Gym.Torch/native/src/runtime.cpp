// Errors, version, devices, threads, seeds and generators, and the no-grad scope.
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <dlfcn.h>
#include <cstdlib>
#include <memory>
#include <vector>
#include "common.h"

namespace {
thread_local std::string last_error;
thread_local std::vector<std::unique_ptr<at::NoGradGuard>> no_grad_stack;
// libtorch already spreads work over its own threads; OpenBLAS threads on top of them busy-wait in the kernel
// and halve the speed of the small matrix products a CPU policy runs (measured: SFT epoch 19.3 s -> 9.8 s).
// So unless the user chose a count with OPENBLAS_NUM_THREADS, OpenBLAS (when it is the BLAS) runs on one thread.
struct SingleThreadedBlas {
  SingleThreadedBlas() {
    if (std::getenv("OPENBLAS_NUM_THREADS") != nullptr) return;
    using SetThreads = void (*)(int);
    if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
  }
} single_threaded_blas;
}  // namespace

namespace gt {
void set_error(const char* message) { last_error = message ? message : "unknown error"; }
void clear_error() { last_error.clear(); }
}  // namespace gt

extern "C" {

const char* gt_last_error(void) { return last_error.c_str(); }

const char* gt_version(void) { return TORCH_VERSION; }

int gt_cuda_is_available(void) {
  try { return torch::cuda::is_available() ? 1 : 0; } catch (...) { return 0; }
}

int gt_cuda_device_count(void) {
  try { return static_cast<int>(torch::cuda::device_count()); } catch (...) { return 0; }
}

int gt_set_num_threads(int n) {
  return gt::status_call([&] {
    if (n < 1) throw std::invalid_argument("thread count must be at least 1");
    at::set_num_threads(n);
  });
}

int gt_get_num_threads(void) { return at::get_num_threads(); }

int gt_manual_seed(uint64_t seed) { return gt::status_call([&] { torch::manual_seed(seed); }); }

gt_generator* gt_generator_new(uint64_t seed, int device_type, int device_index) {
  gt_generator* result = nullptr;
  gt::guarded([&] {
    at::Generator g = device_type == 1
        ? at::detail::getCUDAHooks().getDefaultCUDAGenerator(static_cast<c10::DeviceIndex>(device_index)).clone()
        : at::make_generator<at::CPUGeneratorImpl>(seed);
    g.set_current_seed(seed);
    result = new gt_generator{std::move(g)};
  });
  return result;
}

int gt_generator_set_seed(gt_generator* g, uint64_t seed) {
  return gt::status_call([&] {
    std::lock_guard<std::mutex> lock(g->g.mutex());
    g->g.set_current_seed(seed);
  });
}

int gt_generator_get_state(gt_generator* g, gt_tensor** out) {
  return gt::status_call([&] {
    std::lock_guard<std::mutex> lock(g->g.mutex());
    *out = gt::wrap(g->g.get_state());
  });
}

int gt_generator_set_state(gt_generator* g, gt_tensor* state) {
  return gt::status_call([&] {
    std::lock_guard<std::mutex> lock(g->g.mutex());
    g->g.set_state(gt::T(state));
  });
}

void gt_generator_free(gt_generator* g) { delete g; }

int gt_no_grad_enter(void) {
  return gt::status_call([] { no_grad_stack.push_back(std::make_unique<at::NoGradGuard>()); });
}

int gt_no_grad_exit(void) {
  return gt::status_call([] {
    if (no_grad_stack.empty()) throw std::logic_error("no-grad scope exited more often than entered");
    no_grad_stack.pop_back();
  });
}

int gt_is_grad_enabled(void) { return at::GradMode::is_enabled() ? 1 : 0; }

int gt_cuda_synchronize(void) {
  return gt::status_call([] {
    if (torch::cuda::is_available()) torch::cuda::synchronize();
  });
}

}  // extern "C"
