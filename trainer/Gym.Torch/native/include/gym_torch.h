// The C ABI of Gym's libtorch shim. Every function catches C++ exceptions and stores the message in a
// thread-local last error (gt_last_error); nothing throws across this boundary.
// Conventions: functions returning a tensor return an owned handle (free with gt_tensor_free), or NULL on error;
// functions returning int return 0 on success and -1 on error (property getters: the value, or -1 on error).
#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GT_API __attribute__((visibility("default")))

typedef struct gt_tensor gt_tensor;   // an at::Tensor
typedef struct gt_generator gt_generator;

// runtime.cpp
GT_API const char* gt_last_error(void);
GT_API const char* gt_version(void);
GT_API int gt_cuda_is_available(void);
GT_API int gt_cuda_device_count(void);
GT_API int gt_set_num_threads(int n);
GT_API int gt_get_num_threads(void);
GT_API int gt_manual_seed(uint64_t seed);
GT_API gt_generator* gt_generator_new(uint64_t seed, int device_type, int device_index);
GT_API int gt_generator_set_seed(gt_generator* g, uint64_t seed);
GT_API int gt_generator_get_state(gt_generator* g, gt_tensor** out);
GT_API int gt_generator_set_state(gt_generator* g, gt_tensor* state);
GT_API void gt_generator_free(gt_generator* g);
GT_API int gt_no_grad_enter(void);
GT_API int gt_no_grad_exit(void);
GT_API int gt_is_grad_enabled(void);
GT_API int gt_cuda_synchronize(void);

// tensor.cpp: creation, properties, data, shape
GT_API void gt_tensor_free(gt_tensor* t);
GT_API gt_tensor* gt_empty(const int64_t* shape, int ndim, int dtype, int device_type, int device_index);
GT_API gt_tensor* gt_zeros(const int64_t* shape, int ndim, int dtype, int device_type, int device_index);
GT_API gt_tensor* gt_ones(const int64_t* shape, int ndim, int dtype, int device_type, int device_index);
GT_API gt_tensor* gt_full(const int64_t* shape, int ndim, double value, int dtype, int device_type, int device_index);
GT_API gt_tensor* gt_arange(double start, double end, double step, int dtype, int device_type, int device_index);
GT_API gt_tensor* gt_randn(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, gt_generator* g);
GT_API gt_tensor* gt_rand(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, gt_generator* g);
GT_API gt_tensor* gt_from_host(const void* data, const int64_t* shape, int ndim, int dtype, int device_type, int device_index);
GT_API int gt_to_host(gt_tensor* t, void* data, int64_t bytes);
GT_API void* gt_data_ptr(gt_tensor* t);
GT_API int gt_dim(gt_tensor* t);
GT_API int gt_shape(gt_tensor* t, int64_t* out, int capacity);
GT_API int gt_dtype(gt_tensor* t);
GT_API int gt_device(gt_tensor* t, int* type, int* index);
GT_API int64_t gt_numel(gt_tensor* t);
GT_API int gt_is_contiguous(gt_tensor* t);
GT_API int gt_item_double(gt_tensor* t, double* out);
GT_API int gt_item_int64(gt_tensor* t, int64_t* out);
GT_API gt_tensor* gt_to(gt_tensor* t, int dtype, int device_type, int device_index);
GT_API gt_tensor* gt_contiguous(gt_tensor* t);
GT_API gt_tensor* gt_clone(gt_tensor* t);
GT_API gt_tensor* gt_detach(gt_tensor* t);
GT_API gt_tensor* gt_reshape(gt_tensor* t, const int64_t* shape, int ndim);
GT_API gt_tensor* gt_view(gt_tensor* t, const int64_t* shape, int ndim);
GT_API gt_tensor* gt_transpose(gt_tensor* t, int64_t d0, int64_t d1);
GT_API gt_tensor* gt_permute(gt_tensor* t, const int64_t* dims, int ndim);
GT_API gt_tensor* gt_unsqueeze(gt_tensor* t, int64_t dim);
GT_API gt_tensor* gt_squeeze(gt_tensor* t, int64_t dim);
GT_API gt_tensor* gt_expand(gt_tensor* t, const int64_t* shape, int ndim);
GT_API gt_tensor* gt_narrow(gt_tensor* t, int64_t dim, int64_t start, int64_t length);
GT_API gt_tensor* gt_select(gt_tensor* t, int64_t dim, int64_t index);
GT_API gt_tensor* gt_index_select(gt_tensor* t, int64_t dim, gt_tensor* index);
GT_API gt_tensor* gt_cat(gt_tensor** ts, int n, int64_t dim);
GT_API gt_tensor* gt_stack(gt_tensor** ts, int n, int64_t dim);
GT_API int gt_copy_(gt_tensor* dst, gt_tensor* src);
GT_API int gt_fill_(gt_tensor* t, double value);

// ops.cpp: elementwise, matmul, reductions, indexing
GT_API gt_tensor* gt_binary(int op, gt_tensor* a, gt_tensor* b);
GT_API gt_tensor* gt_binary_scalar(int op, gt_tensor* a, double b);
GT_API gt_tensor* gt_unary(int op, gt_tensor* a);
GT_API gt_tensor* gt_add_scaled(gt_tensor* a, gt_tensor* b, double alpha);
GT_API gt_tensor* gt_pow_scalar(gt_tensor* a, double exponent);
GT_API gt_tensor* gt_clamp(gt_tensor* a, double min, double max, int has_min, int has_max);
GT_API gt_tensor* gt_clamp_tensor(gt_tensor* a, gt_tensor* min, gt_tensor* max);
GT_API gt_tensor* gt_where(gt_tensor* cond, gt_tensor* a, gt_tensor* b);
GT_API gt_tensor* gt_masked_fill(gt_tensor* a, gt_tensor* mask, double value);
GT_API gt_tensor* gt_matmul(gt_tensor* a, gt_tensor* b);
GT_API gt_tensor* gt_linear(gt_tensor* x, gt_tensor* w, gt_tensor* bias /* nullable */);
GT_API gt_tensor* gt_reduce(int op, gt_tensor* a, const int64_t* dims, int ndims, int keepdim);
GT_API gt_tensor* gt_reduce_all(int op, gt_tensor* a);
GT_API int gt_max_dim(gt_tensor* a, int64_t dim, int keepdim, gt_tensor** values, gt_tensor** indices);
GT_API gt_tensor* gt_argmax(gt_tensor* a, int64_t dim, int keepdim);
GT_API gt_tensor* gt_softmax(gt_tensor* a, int64_t dim);
GT_API gt_tensor* gt_log_softmax(gt_tensor* a, int64_t dim);
GT_API gt_tensor* gt_gather(gt_tensor* a, int64_t dim, gt_tensor* index);
GT_API gt_tensor* gt_cumsum(gt_tensor* a, int64_t dim);
GT_API int gt_topk(gt_tensor* a, int64_t k, int64_t dim, int largest, gt_tensor** values, gt_tensor** indices);
GT_API int gt_sort(gt_tensor* a, int64_t dim, int descending, gt_tensor** values, gt_tensor** indices);
GT_API gt_tensor* gt_multinomial(gt_tensor* probs, int64_t n, int replacement, gt_generator* g);
GT_API gt_tensor* gt_tril(gt_tensor* a, int64_t diagonal);
GT_API gt_tensor* gt_triu(gt_tensor* a, int64_t diagonal);
GT_API int gt_allclose(gt_tensor* a, gt_tensor* b, double rtol, double atol, int* out);

// nn.cpp: transformer building blocks
GT_API gt_tensor* gt_embedding(gt_tensor* weight, gt_tensor* ids);
GT_API gt_tensor* gt_rms_norm(gt_tensor* x, gt_tensor* weight, double eps);
GT_API gt_tensor* gt_silu(gt_tensor* x);
GT_API gt_tensor* gt_rotary(gt_tensor* x, gt_tensor* cos, gt_tensor* sin);
GT_API gt_tensor* gt_attention(gt_tensor* q, gt_tensor* k, gt_tensor* v, gt_tensor* mask /* nullable, additive or bool */, int causal, double scale);
GT_API gt_tensor* gt_cross_entropy(gt_tensor* logits, gt_tensor* targets, int64_t ignore_index);
GT_API int gt_has_fused_attention(void);

// autograd.cpp
GT_API int gt_set_requires_grad(gt_tensor* t, int requires);
GT_API int gt_requires_grad(gt_tensor* t);
GT_API int gt_backward(gt_tensor* t, gt_tensor* grad /* nullable */, int retain_graph);
GT_API int gt_grad(gt_tensor* t, gt_tensor** out /* NULL result when undefined */);
GT_API int gt_zero_grad(gt_tensor* t);
GT_API int gt_is_leaf(gt_tensor* t);

// optim.cpp
GT_API int gt_adamw_step(gt_tensor** params, gt_tensor** exp_avg, gt_tensor** exp_avg_sq, int n, int64_t step,
                         double lr, double beta1, double beta2, double eps, double weight_decay);
GT_API int gt_clip_grad_norm(gt_tensor** params, int n, double max_norm, double* total_norm);
GT_API int gt_grad_norm(gt_tensor** params, int n, double* total_norm);
GT_API int gt_all_finite(gt_tensor** ts, int n, int* out);

#ifdef __cplusplus
}
#endif
