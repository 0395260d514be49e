using Gym.Trainer.Training;

namespace Gym.Trainer.Tests;

[TestFixture]
public sealed class LearningRateScheduleTests
{
    [Test]
    public void WarmupThenConstantLinearOrCosineDecay()
    {
        LearningRateSchedule cosine = new(1.0, WarmupSteps: 10, TotalSteps: 110, Decay: DecayKind.Cosine, MinimumFactor: 0.1);
        Assert.That(cosine.At(0), Is.EqualTo(0.1).Within(1e-12));
        Assert.That(cosine.At(9), Is.EqualTo(1.0).Within(1e-12));
        Assert.That(cosine.At(10), Is.EqualTo(1.0).Within(1e-12));
        Assert.That(cosine.At(60), Is.EqualTo(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 50 / 99))).Within(1e-12));
        Assert.That(cosine.At(109), Is.EqualTo(0.1).Within(1e-12));
        Assert.That(new LearningRateSchedule(2.0, 0, 11, DecayKind.Linear).At(5), Is.EqualTo(1.0).Within(1e-12));
        Assert.That(new LearningRateSchedule(2.0, 3, 11).At(7), Is.EqualTo(2.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => cosine.At(-1));
    }
}
