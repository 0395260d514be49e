using Gym.Core;

namespace Gym.Trainer.Training;

/// <summary>The training of a policy diverged (NaN or infinity in the loss or gradients); the weights were not updated.</summary>
public sealed class TrainingDivergedException(string detail)
    : GymException(GymErrorKind.Failed, $"training diverged: {detail} The last checkpoint is kept.");
