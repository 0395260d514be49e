using Gym.Models.Transformer;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gym.Models.Tests;

/// <summary>The device setting and mixed precision.</summary>
[TestFixture]
public sealed class DeviceTests
{
    [Test]
    public void DevicesAreParsedAndCudaWithoutCudaIsAClearError()
    {
        Assert.That(TorchDevices.Parse("cpu").type, Is.EqualTo(DeviceType.CPU));
        Assert.That(Assert.Throws<ArgumentException>(() => TorchDevices.Parse("gpu"))!.Message, Does.Contain("use cpu, cuda or cuda:N"));
        Assert.That(Assert.Throws<ArgumentException>(() => TorchDevices.Parse("cuda:x"))!.Message, Does.Contain("use cpu, cuda or cuda:N"));
        if (cuda.is_available())
        {
            Assert.That(TorchDevices.Parse("cuda").type, Is.EqualTo(DeviceType.CUDA));
            Assert.That(TorchDevices.AutocastType(TorchDevices.Parse("cuda:0")), Is.EqualTo(ScalarType.BFloat16));
        }
        else
        {
            InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => TorchDevices.Parse("cuda:1"))!;
            Assert.That(e.Message, Does.Contain("libtorch-cuda-12.8-linux-x64").And.Contain("Use --device cpu"));
        }
        Assert.That(TorchDevices.AutocastType(CPU), Is.Null);
    }

    [Test]
    public void Bfloat16AutocastKeepsFloat32WeightsAndGradientsAndStaysCloseToFloat32()
    {
        ModelConfig config = new() { HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 64 };
        using CausalLanguageModel model = new(config, seed: 4);
        using DisposeScope scope = NewDisposeScope();
        Tensor ids = tensor(Enumerable.Range(0, 24).Select(i => (long)(i * 7 % 250)).ToArray(), [2, 12]);
        float[] full = model.Forward(ids).Logits.ToArray<float>();

        model.Precision.Autocast = ScalarType.BFloat16;
        ModelOutput mixed = model.Forward(ids);
        Assert.That(mixed.Logits.dtype, Is.EqualTo(ScalarType.BFloat16), "the products ran in bfloat16");
        float[] approx = mixed.Logits.ToArray<float>();
        double scale = full.Max(Math.Abs);
        double worst = full.Zip(approx, (a, b) => Math.Abs(a - b)).Max();
        Assert.That(worst, Is.LessThan(0.05 * scale), $"bfloat16 logits within 5% of the float32 range ({worst:g3} of {scale:g3})");

        Tensor loss = nn.functional.cross_entropy(mixed.Logits.narrow(1, 0, 11).reshape(-1, config.VocabSize).to(ScalarType.Float32), ids.narrow(1, 1, 11).reshape(-1));
        loss.backward();
        foreach ((string name, Parameter p) in model.named_parameters())
        {
            Assert.That(p.dtype, Is.EqualTo(ScalarType.Float32), name);
            Assert.That(p.grad, Is.Not.Null, name);
            Assert.That(p.grad!.dtype, Is.EqualTo(ScalarType.Float32), name);
            Assert.That(p.grad.isfinite().all().item<bool>(), Is.True, name);
        }
    }
}
