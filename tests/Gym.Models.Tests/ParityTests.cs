using Gym.Core.Tests;
using Gym.Models.Transformer;
using Gym.Torch;
using Gym.Torch.Nn;
using Gym.Torch.Optim;

namespace Gym.Models.Tests;

/// <summary>Logits, loss and gradients of a fixed tiny model against PyTorch on the same libtorch.</summary>
[TestFixture]
public sealed class ParityTests
{
    private static string _dir = "";

    [OneTimeSetUp]
    public static void RunReference()
    {
        _dir = TestPaths.TempDirectory();
        (int code, string output, string error) = ProcessRunner.Run("/usr/bin/python3", [Path.Combine(TestPaths.Interop, "torch_parity.py"), _dir], TestPaths.Interop);
        Assert.That(code, Is.EqualTo(0), output + error);
    }

    [OneTimeTearDown]
    public static void Clean() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void LogitsLossAndGradientsMatchPyTorch()
    {
        Dictionary<string, Tensor> expected = Safetensors.Load(Path.Combine(_dir, "expected.safetensors"));
        using CausalLanguageModel model = CausalLanguageModel.Load(_dir);
        using DisposeScope scope = TorchRuntime.NewDisposeScope();
        Tensor ids = expected["ids"].To(ScalarType.Int64);
        ModelOutput output = model.Forward(ids);
        AssertClose(output.Logits, expected["logits"], "logits");

        long vocab = model.Config.VocabSize;
        Tensor loss = Functional.CrossEntropy(
            output.Logits.Narrow(1, 0, ids.Size(1) - 1).Reshape(-1, vocab),
            ids.Narrow(1, 1, ids.Size(1) - 1).Reshape(-1));
        Assert.That(loss.Item(), Is.EqualTo(expected["loss"].Item()).Within(1e-4));
        loss.Backward();
        int checkedGradients = 0;
        foreach ((string name, Parameter p) in model.NamedParameters())
        {
            AssertClose(p.Value.Grad!, expected["grad." + name], "grad " + name);
            checkedGradients++;
        }
        Assert.That(checkedGradients, Is.EqualTo(expected.Keys.Count(k => k.StartsWith("grad.", StringComparison.Ordinal))));

        // Three AdamW steps on the same gradients land where torch.optim.AdamW does.
        using (AdamW optimizer = new(model.Parameters(), new AdamWOptions { LearningRate = 0.01, WeightDecay = 0.1 }))
        {
            for (int i = 0; i < 3; i++)
                optimizer.Step();
        }
        foreach ((string name, Parameter p) in model.NamedParameters())
            AssertClose(p.Value, expected["adamw." + name], "AdamW " + name);
        foreach (Tensor t in expected.Values)
            t.Dispose();
    }

    private static void AssertClose(Tensor actual, Tensor expected, string what)
    {
        float[] a = actual.ToArray<float>(), e = expected.ToArray<float>();
        Assert.That(a, Has.Length.EqualTo(e.Length), what);
        for (int i = 0; i < a.Length; i++)
            Assert.That(a[i], Is.EqualTo(e[i]).Within(1e-4 + 1e-4 * Math.Abs(e[i])), $"{what}[{i}]");
    }
}
