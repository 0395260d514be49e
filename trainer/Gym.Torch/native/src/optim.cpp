// AdamW with decoupled weight decay, and gradient-norm clipping. Optimizer state lives in tensors the caller
// owns, so checkpoints can save and restore it.
#include <cmath>
#include <vector>
#include "common.h"

using gt::T;

extern "C" {

// One AdamW step (Loshchilov & Hutter), as torch.optim.AdamW computes it:
//   p -= lr * wd * p;  m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
//   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
int gt_adamw_step(gt_tensor** params, gt_tensor** exp_avg, gt_tensor** exp_avg_sq, int n, int64_t step,
                  double lr, double beta1, double beta2, double eps, double weight_decay) {
  return gt::status_call([&] {
    if (step < 1) throw std::invalid_argument("AdamW step count starts at 1");
    at::NoGradGuard no_grad;
    double bias1 = 1.0 - std::pow(beta1, static_cast<double>(step));
    double bias2_sqrt = std::sqrt(1.0 - std::pow(beta2, static_cast<double>(step)));
    for (int i = 0; i < n; i++) {
      at::Tensor& p = T(params[i]);
      const at::Tensor& g = p.grad();
      if (!g.defined()) continue;
      at::Tensor& m = T(exp_avg[i]);
      at::Tensor& v = T(exp_avg_sq[i]);
      p.mul_(1.0 - lr * weight_decay);
      m.lerp_(g, 1.0 - beta1);
      v.mul_(beta2).addcmul_(g, g, 1.0 - beta2);
      at::Tensor denom = (v.sqrt() / bias2_sqrt).add_(eps);
      p.addcdiv_(m, denom, -lr / bias1);
    }
  });
}

static double total_norm(gt_tensor** params, int n) {
  std::vector<at::Tensor> norms;
  for (int i = 0; i < n; i++) {
    const at::Tensor& g = T(params[i]).grad();
    if (g.defined()) norms.push_back(g.detach().to(at::kFloat).norm(2));
  }
  if (norms.empty()) return 0.0;
  return at::stack(norms).norm(2).item<double>();
}

int gt_grad_norm(gt_tensor** params, int n, double* out) { return gt::status_call([&] { *out = total_norm(params, n); }); }

// Scales all gradients so their joint L2 norm is at most max_norm (torch.nn.utils.clip_grad_norm_).
int gt_clip_grad_norm(gt_tensor** params, int n, double max_norm, double* out) {
  return gt::status_call([&] {
    at::NoGradGuard no_grad;
    double norm = total_norm(params, n);
    *out = norm;
    double coef = max_norm / (norm + 1e-6);
    if (coef < 1.0) {
      for (int i = 0; i < n; i++) {
        at::Tensor& g = T(params[i]).mutable_grad();
        if (g.defined()) g.mul_(coef);
      }
    }
  });
}

int gt_all_finite(gt_tensor** ts, int n, int* out) {
  return gt::status_call([&] {
    bool finite = true;
    for (int i = 0; i < n && finite; i++) finite = at::isfinite(T(ts[i])).all().item<bool>();
    *out = finite ? 1 : 0;
  });
}

}  // extern "C"
