using Gym.Models.Transformer;
using Gym.Testing;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gym.Models.Tests;

/// <summary>
/// Logits, loss, every gradient and three AdamW steps of a fixed tiny model on TorchSharp (libtorch 2.10) against
/// PyTorch eager (Debian's python3-torch, libtorch 1.13), to 1e-4.
/// </summary>
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
        using DisposeScope scope = NewDisposeScope();
        Tensor ids = expected["ids"].to(ScalarType.Int64);
        ModelOutput output = model.Forward(ids);
        AssertClose(output.Logits, expected["logits"], "logits");

        long vocab = model.Config.VocabSize;
        Tensor loss = nn.functional.cross_entropy(
            output.Logits.narrow(1, 0, ids.size(1) - 1).reshape(-1, vocab),
            ids.narrow(1, 1, ids.size(1) - 1).reshape(-1));
        Assert.That(loss.item<float>(), Is.EqualTo(expected["loss"].item<float>()).Within(1e-4));
        loss.backward();
        int checkedGradients = 0;
        foreach ((string name, Parameter p) in model.named_parameters())
        {
            AssertClose(p.grad!, expected["grad." + name], "grad " + name);
            checkedGradients++;
        }
        Assert.That(checkedGradients, Is.EqualTo(expected.Keys.Count(k => k.StartsWith("grad.", StringComparison.Ordinal))));

        // Three AdamW steps on the same gradients land where torch.optim.AdamW does (weight decay passed
        // explicitly: TorchSharp's default is 0, PyTorch's 0.01).
        using (AdamW optimizer = optim.AdamW(model.parameters(), lr: 0.01, weight_decay: 0.1))
        {
            for (int i = 0; i < 3; i++)
                optimizer.step();
        }
        foreach ((string name, Parameter p) in model.named_parameters())
            AssertClose(p, expected["adamw." + name], "AdamW " + name);
        foreach (Tensor t in expected.Values)
            t.Dispose();
    }

    [Test]
    public void ThePickledPyTorchCheckpointLoadsToTheSameLogits()
    {
        using CausalLanguageModel fromSafetensors = CausalLanguageModel.Load(_dir);
        using CausalLanguageModel fromPickle = CausalLanguageModel.Load(Path.Combine(_dir, "pickled"));
        using DisposeScope scope = NewDisposeScope();
        Tensor ids = tensor(new long[] { 1, 5, 9, 13, 2, 40, 7, 3 }, [1, 8]);
        Assert.That(fromPickle.Forward(ids).Logits.ToArray<float>(), Is.EqualTo(fromSafetensors.Forward(ids).Logits.ToArray<float>()));
    }

    private static void AssertClose(Tensor actual, Tensor expected, string what)
    {
        float[] a = actual.ToArray<float>(), e = expected.ToArray<float>();
        Assert.That(a, Has.Length.EqualTo(e.Length), what);
        for (int i = 0; i < a.Length; i++)
            Assert.That(a[i], Is.EqualTo(e[i]).Within(1e-4 + 1e-4 * Math.Abs(e[i])), $"{what}[{i}]");
    }
}
