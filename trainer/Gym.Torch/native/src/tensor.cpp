// Creating tensors, their properties, host data, and shape manipulation.
#include <cstring>
#include <vector>
#include "common.h"

using gt::T;

extern "C" {

void gt_tensor_free(gt_tensor* t) { delete t; }

gt_tensor* gt_empty(const int64_t* shape, int ndim, int dtype, int dt, int di) {
  return gt::tensor_call([&] { return at::empty(gt::dims(shape, ndim), gt::options(dtype, dt, di)); });
}

gt_tensor* gt_zeros(const int64_t* shape, int ndim, int dtype, int dt, int di) {
  return gt::tensor_call([&] { return at::zeros(gt::dims(shape, ndim), gt::options(dtype, dt, di)); });
}

gt_tensor* gt_ones(const int64_t* shape, int ndim, int dtype, int dt, int di) {
  return gt::tensor_call([&] { return at::ones(gt::dims(shape, ndim), gt::options(dtype, dt, di)); });
}

gt_tensor* gt_full(const int64_t* shape, int ndim, double value, int dtype, int dt, int di) {
  return gt::tensor_call([&] { return at::full(gt::dims(shape, ndim), value, gt::options(dtype, dt, di)); });
}

gt_tensor* gt_arange(double start, double end, double step, int dtype, int dt, int di) {
  return gt::tensor_call([&] { return at::arange(start, end, step, gt::options(dtype, dt, di)); });
}

gt_tensor* gt_randn(const int64_t* shape, int ndim, int dtype, int dt, int di, gt_generator* g) {
  return gt::tensor_call([&] {
    return g ? at::randn(gt::dims(shape, ndim), g->g, gt::options(dtype, dt, di)) : at::randn(gt::dims(shape, ndim), gt::options(dtype, dt, di));
  });
}

gt_tensor* gt_rand(const int64_t* shape, int ndim, int dtype, int dt, int di, gt_generator* g) {
  return gt::tensor_call([&] {
    return g ? at::rand(gt::dims(shape, ndim), g->g, gt::options(dtype, dt, di)) : at::rand(gt::dims(shape, ndim), gt::options(dtype, dt, di));
  });
}

// One copy: from the caller's memory straight into a tensor the shim owns (then to the device if needed).
gt_tensor* gt_from_host(const void* data, const int64_t* shape, int ndim, int dtype, int dt, int di) {
  return gt::tensor_call([&] {
    at::Tensor cpu = at::empty(gt::dims(shape, ndim), gt::options(dtype, 0, 0));
    std::memcpy(cpu.data_ptr(), data, cpu.nbytes());
    return dt == 0 ? cpu : cpu.to(gt::device(dt, di));
  });
}

int gt_to_host(gt_tensor* h, void* data, int64_t bytes) {
  return gt::status_call([&] {
    at::Tensor cpu = T(h).to(at::kCPU).contiguous();
    if (static_cast<int64_t>(cpu.nbytes()) != bytes)
      throw std::invalid_argument("destination holds " + std::to_string(bytes) + " bytes, the tensor " + std::to_string(cpu.nbytes()));
    std::memcpy(data, cpu.data_ptr(), cpu.nbytes());
  });
}

void* gt_data_ptr(gt_tensor* h) {
  void* data = nullptr;
  gt::guarded([&] {
    at::Tensor& t = T(h);
    if (!t.device().is_cpu() || !t.is_contiguous()) throw std::invalid_argument("data_ptr needs a contiguous CPU tensor");
    data = t.data_ptr();
  });
  return data;
}

// Property getters return -1 on a bad handle (recorded as the last error) instead of throwing.
int gt_dim(gt_tensor* h) {
  int d = -1;
  gt::guarded([&] { d = static_cast<int>(T(h).dim()); });
  return d;
}

int gt_shape(gt_tensor* h, int64_t* out, int capacity) {
  return gt::status_call([&] {
    auto sizes = T(h).sizes();
    if (static_cast<int>(sizes.size()) > capacity) throw std::invalid_argument("shape buffer too small");
    for (size_t i = 0; i < sizes.size(); i++) out[i] = sizes[i];
  });
}

int gt_dtype(gt_tensor* h) {
  int d = -1;
  gt::guarded([&] { d = static_cast<int>(T(h).scalar_type()); });
  return d;
}

int gt_device(gt_tensor* h, int* type, int* index) {
  return gt::status_call([&] {
    at::Device d = T(h).device();
    *type = d.is_cuda() ? 1 : 0;
    *index = d.has_index() ? d.index() : 0;
  });
}

int64_t gt_numel(gt_tensor* h) {
  int64_t n = -1;
  gt::guarded([&] { n = T(h).numel(); });
  return n;
}

int gt_is_contiguous(gt_tensor* h) {
  int c = -1;
  gt::guarded([&] { c = T(h).is_contiguous() ? 1 : 0; });
  return c;
}

int gt_item_double(gt_tensor* h, double* out) { return gt::status_call([&] { *out = T(h).item<double>(); }); }

int gt_item_int64(gt_tensor* h, int64_t* out) { return gt::status_call([&] { *out = T(h).item<int64_t>(); }); }

gt_tensor* gt_to(gt_tensor* h, int dtype, int dt, int di) {
  return gt::tensor_call([&] { return T(h).to(gt::device(dt, di), static_cast<at::ScalarType>(dtype)); });
}

gt_tensor* gt_contiguous(gt_tensor* h) { return gt::tensor_call([&] { return T(h).contiguous(); }); }
gt_tensor* gt_clone(gt_tensor* h) { return gt::tensor_call([&] { return T(h).clone(); }); }
gt_tensor* gt_detach(gt_tensor* h) { return gt::tensor_call([&] { return T(h).detach(); }); }
gt_tensor* gt_reshape(gt_tensor* h, const int64_t* s, int n) { return gt::tensor_call([&] { return T(h).reshape(gt::dims(s, n)); }); }
gt_tensor* gt_view(gt_tensor* h, const int64_t* s, int n) { return gt::tensor_call([&] { return T(h).view(gt::dims(s, n)); }); }
gt_tensor* gt_transpose(gt_tensor* h, int64_t a, int64_t b) { return gt::tensor_call([&] { return T(h).transpose(a, b); }); }
gt_tensor* gt_permute(gt_tensor* h, const int64_t* d, int n) { return gt::tensor_call([&] { return T(h).permute(gt::dims(d, n)); }); }
gt_tensor* gt_unsqueeze(gt_tensor* h, int64_t d) { return gt::tensor_call([&] { return T(h).unsqueeze(d); }); }
gt_tensor* gt_squeeze(gt_tensor* h, int64_t d) { return gt::tensor_call([&] { return T(h).squeeze(d); }); }
gt_tensor* gt_expand(gt_tensor* h, const int64_t* s, int n) { return gt::tensor_call([&] { return T(h).expand(gt::dims(s, n)); }); }
gt_tensor* gt_narrow(gt_tensor* h, int64_t d, int64_t start, int64_t len) { return gt::tensor_call([&] { return T(h).narrow(d, start, len); }); }
gt_tensor* gt_select(gt_tensor* h, int64_t d, int64_t i) { return gt::tensor_call([&] { return T(h).select(d, i); }); }
gt_tensor* gt_index_select(gt_tensor* h, int64_t d, gt_tensor* i) { return gt::tensor_call([&] { return T(h).index_select(d, T(i)); }); }

static std::vector<at::Tensor> list(gt_tensor** ts, int n) {
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int i = 0; i < n; i++) v.push_back(T(ts[i]));
  return v;
}

gt_tensor* gt_cat(gt_tensor** ts, int n, int64_t d) { return gt::tensor_call([&] { return at::cat(list(ts, n), d); }); }
gt_tensor* gt_stack(gt_tensor** ts, int n, int64_t d) { return gt::tensor_call([&] { return at::stack(list(ts, n), d); }); }

int gt_copy_(gt_tensor* dst, gt_tensor* src) { return gt::status_call([&] { T(dst).copy_(T(src)); }); }
int gt_fill_(gt_tensor* h, double value) { return gt::status_call([&] { T(h).fill_(value); }); }

}  // extern "C"
