using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gym.Models;

/// <summary>
/// The configuration of a decoder in the Hugging Face <c>config.json</c> schema (LlamaConfig / Qwen2Config
/// field names), so Gym checkpoints load in transformers and small HF checkpoints load here.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>"LlamaForCausalLM" (or "Qwen2ForCausalLM").</summary>
    [JsonPropertyName("architectures")] public IReadOnlyList<string> Architectures { get; init; } = ["LlamaForCausalLM"];

    /// <summary>"llama" or "qwen2".</summary>
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llama";

    /// <summary>Vocabulary size.</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = ByteTokenizer.DefaultVocabSize;

    /// <summary>Width of the residual stream.</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 128;

    /// <summary>Width of the SwiGLU feed-forward layer.</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 344;

    /// <summary>Decoder layers.</summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 4;

    /// <summary>Query heads.</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 4;

    /// <summary>Key/value heads (fewer than query heads: grouped-query attention).</summary>
    [JsonPropertyName("num_key_value_heads")] public int NumKeyValueHeads { get; init; } = 2;

    /// <summary>RMSNorm epsilon.</summary>
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-6;

    /// <summary>RoPE base.</summary>
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;

    /// <summary>Longest sequence the model is meant for.</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary>Whether the output projection shares the embedding matrix.</summary>
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Whether q/k/v projections have biases (Qwen2: true).</summary>
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; init; }

    /// <summary>The weights' dtype name ("float32", "bfloat16").</summary>
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";

    /// <summary>Beginning-of-sequence token.</summary>
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }

    /// <summary>End-of-sequence token.</summary>
    [JsonPropertyName("eos_token_id")] public int? EosTokenId { get; init; }

    /// <summary>Gym extension: a scalar value head on the final hidden states (for a critic).</summary>
    [JsonPropertyName("gym_value_head")] public bool ValueHead { get; init; }

    /// <summary>Size of one attention head.</summary>
    [JsonIgnore] public int HeadDim => HiddenSize / NumAttentionHeads;

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Checks the numbers fit together; the message names the field.</summary>
    public ModelConfig Validate()
    {
        void Positive(int value, string name)
        {
            if (value <= 0)
                throw new InvalidDataException($"config.json: {name} must be positive (got {value}).");
        }
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(IntermediateSize, "intermediate_size");
        Positive(NumHiddenLayers, "num_hidden_layers");
        Positive(NumAttentionHeads, "num_attention_heads");
        Positive(NumKeyValueHeads, "num_key_value_heads");
        if (HiddenSize % NumAttentionHeads != 0)
            throw new InvalidDataException($"config.json: hidden_size ({HiddenSize}) must be a multiple of num_attention_heads ({NumAttentionHeads}).");
        if (NumAttentionHeads % NumKeyValueHeads != 0)
            throw new InvalidDataException($"config.json: num_attention_heads ({NumAttentionHeads}) must be a multiple of num_key_value_heads ({NumKeyValueHeads}).");
        if (HeadDim % 2 != 0)
            throw new InvalidDataException($"config.json: the head size ({HeadDim}) must be even for rotary embeddings.");
        if (RmsNormEps <= 0 || RopeTheta <= 0)
            throw new InvalidDataException("config.json: rms_norm_eps and rope_theta must be positive.");
        return this;
    }

    /// <summary>Reads config.json.</summary>
    public static ModelConfig Load(string path)
    {
        try
        {
            return (JsonSerializer.Deserialize<ModelConfig>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path}: empty config.")).Validate();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Path}: {e.Message}", e);
        }
    }

    /// <summary>Writes config.json.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Options));
}
