namespace Gym.Trainer.Training;

/// <summary>Supervised fine-tuning on stored trajectories (<c>gym sft</c>, and the first stage of <c>gym main</c>).</summary>
public sealed record SftSettings
{
    /// <summary>
    /// <c>gym main</c>: training tasks the oracle demonstrates (the first N of the training split; default null: all
    /// of them; 0: no demonstrations and no fine-tuning, so RL starts from the untrained policy).
    /// </summary>
    public int? Demonstrations { get; init; }
    /// <summary>Passes over the data (default 3).</summary>
    public int Epochs { get; init; } = 3;
    /// <summary>Rows per optimizer step (default 32).</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Train only on successful episodes (default true).</summary>
    public bool SuccessfulOnly { get; init; } = true;
    /// <summary>Peak learning rate (default: optimizer.learningRate).</summary>
    public double? LearningRate { get; init; }
    /// <summary>constant, linear or cosine decay after warmup (default: optimizer.decay).</summary>
    public DecayKind? Decay { get; init; }
}
