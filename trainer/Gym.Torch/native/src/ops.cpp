// Elementwise arithmetic, comparisons, matmul, reductions, softmax and indexing.
// Operation codes are shared with the managed side (Gym.Torch BinaryOp, UnaryOp, ReduceOp).
#include "common.h"

using gt::T;

namespace {

at::Tensor binary(int op, const at::Tensor& a, const at::Tensor& b) {
  switch (op) {
    case 0: return at::add(a, b);
    case 1: return at::sub(a, b);
    case 2: return at::mul(a, b);
    case 3: return at::div(a, b);
    case 4: return at::maximum(a, b);
    case 5: return at::minimum(a, b);
    case 6: return at::eq(a, b);
    case 7: return at::ne(a, b);
    case 8: return at::lt(a, b);
    case 9: return at::le(a, b);
    case 10: return at::gt(a, b);
    case 11: return at::ge(a, b);
    case 12: return at::logical_and(a, b);
    case 13: return at::logical_or(a, b);
    case 14: return at::pow(a, b);
    default: throw std::invalid_argument("unknown binary op " + std::to_string(op));
  }
}

at::Tensor binary_scalar(int op, const at::Tensor& a, const at::Scalar& b) {
  switch (op) {
    case 0: return at::add(a, b);
    case 1: return at::sub(a, b);
    case 2: return at::mul(a, b);
    case 3: return at::div(a, b);
    case 4: return at::clamp_min(a, b);
    case 5: return at::clamp_max(a, b);
    case 6: return at::eq(a, b);
    case 7: return at::ne(a, b);
    case 8: return at::lt(a, b);
    case 9: return at::le(a, b);
    case 10: return at::gt(a, b);
    case 11: return at::ge(a, b);
    case 14: return at::pow(a, b);
    case 15: return at::rsub(a, b);  // b - a
    default: throw std::invalid_argument("unknown scalar op " + std::to_string(op));
  }
}

at::Tensor unary(int op, const at::Tensor& a) {
  switch (op) {
    case 0: return at::neg(a);
    case 1: return at::exp(a);
    case 2: return at::log(a);
    case 3: return at::sqrt(a);
    case 4: return at::rsqrt(a);
    case 5: return at::tanh(a);
    case 6: return at::sigmoid(a);
    case 7: return at::relu(a);
    case 8: return at::abs(a);
    case 9: return at::logical_not(a);
    case 10: return at::sin(a);
    case 11: return at::cos(a);
    case 12: return at::square(a);
    case 13: return at::reciprocal(a);
    case 14: return at::log1p(a);
    case 15: return at::expm1(a);
    case 16: return at::isfinite(a);
    case 17: return at::isnan(a);
    case 18: return at::sign(a);
    case 19: return at::floor(a);
    default: throw std::invalid_argument("unknown unary op " + std::to_string(op));
  }
}

at::Tensor reduce(int op, const at::Tensor& a, at::IntArrayRef dims, bool keepdim) {
  switch (op) {
    case 0: return at::sum(a, dims, keepdim);
    case 1: return at::mean(a, dims, keepdim);
    case 2: return at::amax(a, dims, keepdim);
    case 3: return at::amin(a, dims, keepdim);
    case 4: return at::logsumexp(a, dims, keepdim);
    case 5: return at::var(a, dims, /*unbiased=*/true, keepdim);
    case 6: return at::std(a, dims, /*unbiased=*/true, keepdim);
    default: throw std::invalid_argument("unknown reduction " + std::to_string(op));
  }
}

at::Tensor reduce_all(int op, const at::Tensor& a) {
  switch (op) {
    case 0: return at::sum(a);
    case 1: return at::mean(a);
    case 2: return at::max(a);
    case 3: return at::min(a);
    case 5: return at::var(a, /*unbiased=*/true);
    case 6: return at::std(a, /*unbiased=*/true);
    default: throw std::invalid_argument("unknown reduction " + std::to_string(op));
  }
}

}  // namespace

extern "C" {

gt_tensor* gt_binary(int op, gt_tensor* a, gt_tensor* b) { return gt::tensor_call([&] { return binary(op, T(a), T(b)); }); }
gt_tensor* gt_binary_scalar(int op, gt_tensor* a, double b) { return gt::tensor_call([&] { return binary_scalar(op, T(a), b); }); }
gt_tensor* gt_unary(int op, gt_tensor* a) { return gt::tensor_call([&] { return unary(op, T(a)); }); }
gt_tensor* gt_add_scaled(gt_tensor* a, gt_tensor* b, double alpha) { return gt::tensor_call([&] { return at::add(T(a), T(b), alpha); }); }
gt_tensor* gt_pow_scalar(gt_tensor* a, double e) { return gt::tensor_call([&] { return at::pow(T(a), e); }); }

gt_tensor* gt_clamp(gt_tensor* a, double min, double max, int has_min, int has_max) {
  return gt::tensor_call([&] {
    c10::optional<at::Scalar> lo = has_min ? c10::optional<at::Scalar>(min) : c10::nullopt;
    c10::optional<at::Scalar> hi = has_max ? c10::optional<at::Scalar>(max) : c10::nullopt;
    return at::clamp(T(a), lo, hi);
  });
}

gt_tensor* gt_clamp_tensor(gt_tensor* a, gt_tensor* min, gt_tensor* max) {
  return gt::tensor_call([&] { return at::clamp(T(a), T(min), T(max)); });
}

gt_tensor* gt_where(gt_tensor* c, gt_tensor* a, gt_tensor* b) { return gt::tensor_call([&] { return at::where(T(c), T(a), T(b)); }); }
gt_tensor* gt_masked_fill(gt_tensor* a, gt_tensor* m, double v) { return gt::tensor_call([&] { return T(a).masked_fill(T(m), v); }); }
gt_tensor* gt_matmul(gt_tensor* a, gt_tensor* b) { return gt::tensor_call([&] { return at::matmul(T(a), T(b)); }); }

gt_tensor* gt_linear(gt_tensor* x, gt_tensor* w, gt_tensor* bias) {
  return gt::tensor_call([&] { return bias ? at::linear(T(x), T(w), T(bias)) : at::linear(T(x), T(w)); });
}

gt_tensor* gt_reduce(int op, gt_tensor* a, const int64_t* dims, int n, int keepdim) {
  return gt::tensor_call([&] { return reduce(op, T(a), gt::dims(dims, n), keepdim != 0); });
}

gt_tensor* gt_reduce_all(int op, gt_tensor* a) { return gt::tensor_call([&] { return reduce_all(op, T(a)); }); }

int gt_max_dim(gt_tensor* a, int64_t dim, int keepdim, gt_tensor** values, gt_tensor** indices) {
  return gt::status_call([&] {
    auto r = at::max(T(a), dim, keepdim != 0);
    *values = gt::wrap(std::get<0>(r));
    *indices = gt::wrap(std::get<1>(r));
  });
}

gt_tensor* gt_argmax(gt_tensor* a, int64_t dim, int keepdim) { return gt::tensor_call([&] { return at::argmax(T(a), dim, keepdim != 0); }); }
gt_tensor* gt_softmax(gt_tensor* a, int64_t dim) { return gt::tensor_call([&] { return at::softmax(T(a), dim); }); }
gt_tensor* gt_log_softmax(gt_tensor* a, int64_t dim) { return gt::tensor_call([&] { return at::log_softmax(T(a), dim); }); }
gt_tensor* gt_gather(gt_tensor* a, int64_t dim, gt_tensor* i) { return gt::tensor_call([&] { return at::gather(T(a), dim, T(i)); }); }
gt_tensor* gt_cumsum(gt_tensor* a, int64_t dim) { return gt::tensor_call([&] { return at::cumsum(T(a), dim); }); }

int gt_topk(gt_tensor* a, int64_t k, int64_t dim, int largest, gt_tensor** values, gt_tensor** indices) {
  return gt::status_call([&] {
    auto r = at::topk(T(a), k, dim, largest != 0, /*sorted=*/true);
    *values = gt::wrap(std::get<0>(r));
    *indices = gt::wrap(std::get<1>(r));
  });
}

int gt_sort(gt_tensor* a, int64_t dim, int descending, gt_tensor** values, gt_tensor** indices) {
  return gt::status_call([&] {
    auto r = at::sort(T(a), /*stable=*/true, dim, descending != 0);
    *values = gt::wrap(std::get<0>(r));
    *indices = gt::wrap(std::get<1>(r));
  });
}

gt_tensor* gt_multinomial(gt_tensor* probs, int64_t n, int replacement, gt_generator* g) {
  return gt::tensor_call([&] {
    return g ? at::multinomial(T(probs), n, replacement != 0, g->g) : at::multinomial(T(probs), n, replacement != 0);
  });
}

gt_tensor* gt_tril(gt_tensor* a, int64_t d) { return gt::tensor_call([&] { return at::tril(T(a), d); }); }
gt_tensor* gt_triu(gt_tensor* a, int64_t d) { return gt::tensor_call([&] { return at::triu(T(a), d); }); }

int gt_allclose(gt_tensor* a, gt_tensor* b, double rtol, double atol, int* out) {
  return gt::status_call([&] { *out = at::allclose(T(a), T(b), rtol, atol) ? 1 : 0; });
}

}  // extern "C"
