// Autograd: requires-grad, backward, gradients.
#include "common.h"

using gt::T;

extern "C" {

int gt_set_requires_grad(gt_tensor* t, int requires) { return gt::status_call([&] { T(t).requires_grad_(requires != 0); }); }

int gt_requires_grad(gt_tensor* t) {
  int r = -1;
  gt::guarded([&] { r = T(t).requires_grad() ? 1 : 0; });
  return r;
}

int gt_backward(gt_tensor* t, gt_tensor* grad, int retain_graph) {
  return gt::status_call([&] {
    at::Tensor g = grad ? T(grad) : at::Tensor();
    T(t).backward(g, retain_graph != 0);
  });
}

int gt_grad(gt_tensor* t, gt_tensor** out) {
  return gt::status_call([&] {
    const at::Tensor& g = T(t).grad();
    *out = g.defined() ? gt::wrap(g) : nullptr;
  });
}

int gt_zero_grad(gt_tensor* t) {
  return gt::status_call([&] { T(t).mutable_grad() = at::Tensor(); });
}

int gt_is_leaf(gt_tensor* t) {
  int r = -1;
  gt::guarded([&] { r = T(t).is_leaf() ? 1 : 0; });
  return r;
}

}  // extern "C"
