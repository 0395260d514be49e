// Transformer building blocks: embedding, RMS norm, SiLU, rotary embedding, attention, cross entropy.
#include "common.h"

using gt::T;

// scaled_dot_product_attention with an explicit scale arrived in libtorch 2.1.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
#define GT_HAS_SDPA 1
#else
#define GT_HAS_SDPA 0
#endif

extern "C" {

gt_tensor* gt_embedding(gt_tensor* weight, gt_tensor* ids) {
  return gt::tensor_call([&] { return at::embedding(T(weight), T(ids)); });
}

// x * rsqrt(mean(x^2) + eps) * weight, computed in at least float32 and cast back (as Llama/Qwen2 do).
gt_tensor* gt_rms_norm(gt_tensor* x, gt_tensor* weight, double eps) {
  return gt::tensor_call([&] {
    const at::Tensor& in = T(x);
    at::Tensor f = in.to(at::promote_types(in.scalar_type(), at::kFloat));
    at::Tensor normed = f * at::rsqrt(f.pow(2).mean(-1, /*keepdim=*/true) + eps);
    return T(weight) * normed.to(in.scalar_type());
  });
}

gt_tensor* gt_silu(gt_tensor* x) { return gt::tensor_call([&] { return at::silu(T(x)); }); }

// Rotary embedding in the Hugging Face (rotate-half) layout: x * cos + rotate_half(x) * sin.
gt_tensor* gt_rotary(gt_tensor* x, gt_tensor* cos, gt_tensor* sin) {
  return gt::tensor_call([&] {
    const at::Tensor& in = T(x);
    int64_t half = in.size(-1) / 2;
    at::Tensor x1 = in.narrow(-1, 0, half);
    at::Tensor x2 = in.narrow(-1, half, half);
    at::Tensor rotated = at::cat({-x2, x1}, -1);
    return in * T(cos) + rotated * T(sin);
  });
}

int gt_has_fused_attention(void) { return GT_HAS_SDPA; }

// softmax(q k^T * scale + mask) v over [batch, heads, query, dim]; k and v may have fewer heads (grouped-query
// attention): they are repeated to match. `mask` is additive (float) or boolean (true = attend).
gt_tensor* gt_attention(gt_tensor* q, gt_tensor* k, gt_tensor* v, gt_tensor* mask, int causal, double scale) {
  return gt::tensor_call([&] {
    at::Tensor query = T(q), key = T(k), value = T(v);
    int64_t groups = query.size(1) / key.size(1);
    if (groups > 1) {
      key = key.repeat_interleave(groups, 1);
      value = value.repeat_interleave(groups, 1);
    }
#if GT_HAS_SDPA
    c10::optional<at::Tensor> m = mask ? c10::optional<at::Tensor>(T(mask)) : c10::nullopt;
    return at::scaled_dot_product_attention(query, key, value, m, 0.0, causal != 0 && !mask, scale);
#else
    at::Tensor scores = at::matmul(query, key.transpose(-2, -1)) * scale;
    if (mask) {
      const at::Tensor& mk = T(mask);
      scores = mk.scalar_type() == at::kBool ? scores.masked_fill(mk.logical_not(), -std::numeric_limits<float>::infinity()) : scores + mk;
    } else if (causal) {
      int64_t lq = query.size(-2), lk = key.size(-2);
      at::Tensor allowed = at::ones({lq, lk}, query.options().dtype(at::kBool)).tril(lk - lq);
      scores = scores.masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
    }
    return at::matmul(at::softmax(scores, -1), value);
#endif
  });
}

gt_tensor* gt_cross_entropy(gt_tensor* logits, gt_tensor* targets, int64_t ignore_index) {
  return gt::tensor_call([&] {
    return at::cross_entropy_loss(T(logits), T(targets), c10::nullopt, at::Reduction::Mean, ignore_index);
  });
}

}  // extern "C"
