using Gym.Models.Generation;
using Gym.Models.Transformer;
using Gym.Testing;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gym.Models.Tests;

[TestFixture]
public sealed class ModelTests
{
    private static readonly ByteTokenizer Tokenizer = new();

    private static ModelConfig Tiny(bool tie = true, bool valueHead = false) => new()
    {
        VocabSize = ByteTokenizer.DefaultVocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2,
        NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 256, TieWordEmbeddings = tie, ValueHead = valueHead,
    };

    [Test]
    public void ASavedCheckpointReloadsToIdenticalLogits()
    {
        string dir = TestPaths.TempDirectory();
        using CausalLanguageModel model = new(Tiny(tie: false, valueHead: true), seed: 3);
        model.Save(dir);
        Assert.That(File.Exists(Path.Combine(dir, "config.json")) && File.Exists(Path.Combine(dir, "model.safetensors")), Is.True);
        (IReadOnlyList<Safetensors.Entry> entries, _, _) = Safetensors.ReadHeader(Path.Combine(dir, "model.safetensors"));
        Assert.That(entries.Select(e => e.Name), Does.Contain("model.layers.1.self_attn.q_proj.weight").And.Contain("lm_head.weight").And.Contain("model.embed_tokens.weight"));
        using CausalLanguageModel loaded = CausalLanguageModel.Load(dir);
        using DisposeScope scope = NewDisposeScope();
        Tensor ids = tensor(new long[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        ModelOutput a = model.Forward(ids), b = loaded.Forward(ids);
        Assert.That(b.Logits.ToArray<float>(), Is.EqualTo(a.Logits.ToArray<float>()));
        Assert.That(b.Values!.ToArray<float>(), Is.EqualTo(a.Values!.ToArray<float>()));
        Directory.Delete(dir, true);
    }

    [Test]
    public void TokenizerRoundTripsAndRendersChats()
    {
        string text = "put mug 1 in/on cabinet 2 — ünïcode ✓ 😀";
        Assert.That(Tokenizer.Decode(Tokenizer.Encode(text)), Is.EqualTo(text));
        int[] chat = Tokenizer.ApplyChatTemplate([new ChatMessage("system", "be brief"), new ChatMessage("user", "hi")], addGenerationPrompt: true);
        Assert.That(chat[0], Is.EqualTo(ByteTokenizer.Bos));
        Assert.That(chat[^1], Is.EqualTo(ByteTokenizer.Assistant));
        Assert.That(Tokenizer.Decode(chat, skipSpecial: false), Is.EqualTo("<|bos|><|system|>be brief<|end|><|user|>hi<|end|><|assistant|>"));
        Assert.Throws<ArgumentException>(() => Tokenizer.ApplyChatTemplate([new ChatMessage("robot", "x")], false));
    }

    [Test]
    public void GenerationIsDeterministicForASeedAndTheCacheChangesNothing()
    {
        using CausalLanguageModel model = new(Tiny(), seed: 5);
        BatchGenerator generator = new(model, Tokenizer);
        int[][] prompts = [Tokenizer.Encode("hello"), Tokenizer.Encode("a much longer prompt here")];
        GenerationOptions sampled = new() { MaxNewTokens = 12, Temperature = 1.0, Seed = 11 };
        IReadOnlyList<GenerationResult> first = generator.Generate(prompts, sampled);
        IReadOnlyList<GenerationResult> again = generator.Generate(prompts, sampled);
        IReadOnlyList<GenerationResult> noCache = generator.Generate(prompts, sampled, useCache: false);
        IReadOnlyList<GenerationResult> otherSeed = generator.Generate(prompts, sampled with { Seed = 12 });
        for (int i = 0; i < prompts.Length; i++)
        {
            Assert.That(again[i].ResponseIds, Is.EqualTo(first[i].ResponseIds));
            Assert.That(noCache[i].ResponseIds, Is.EqualTo(first[i].ResponseIds), "KV cache and full recomputation agree");
            Assert.That(noCache[i].LogProbs, Is.EqualTo(first[i].LogProbs).Within(1e-4));
            Assert.That(first[i].PromptIds, Is.EqualTo(prompts[i]));
        }
        Assert.That(otherSeed.Select(r => string.Join(",", r.ResponseIds)), Is.Not.EqualTo(first.Select(r => string.Join(",", r.ResponseIds))));
    }

    [Test]
    public void BatchedGreedyGenerationMatchesOneByOne()
    {
        using CausalLanguageModel model = new(Tiny(), seed: 6);
        BatchGenerator generator = new(model, Tokenizer);
        int[][] prompts = [Tokenizer.Encode("x"), Tokenizer.Encode("left padding must not matter"), Tokenizer.Encode("abc")];
        GenerationOptions greedy = new() { MaxNewTokens = 10, Temperature = 0 };
        IReadOnlyList<GenerationResult> batched = generator.Generate(prompts, greedy);
        for (int i = 0; i < prompts.Length; i++)
        {
            GenerationResult single = generator.Generate([prompts[i]], greedy)[0];
            Assert.That(batched[i].ResponseIds, Is.EqualTo(single.ResponseIds), $"prompt {i}");
        }
    }

    [Test]
    public void ConstrainedDecodingOnlyProducesAdmissibleStrings()
    {
        using CausalLanguageModel model = new(Tiny(), seed: 7);
        BatchGenerator generator = new(model, Tokenizer);
        string[] choices = ["go to cabinet 1", "go to fridge 1", "open fridge 1", "look"];
        TokenTrie trie = new(choices, Tokenizer, Tokenizer.EndOfTurnId);
        int[][] prompts = [.. Enumerable.Range(0, 16).Select(i => Tokenizer.Encode($"state {i}"))];
        IReadOnlyList<GenerationResult> results = generator.Generate(prompts, new GenerationOptions { MaxNewTokens = 40, Seed = 3 }, [.. prompts.Select(_ => trie)]);
        foreach (GenerationResult r in results)
        {
            Assert.That(choices, Does.Contain(r.Text));
            Assert.That(r.Finish, Is.EqualTo(FinishReason.Stop));
            Assert.That(r.ResponseIds[^1], Is.EqualTo(Tokenizer.EndOfTurnId));
        }
        Assert.That(results.Select(r => r.Text).Distinct().Count(), Is.GreaterThan(1), "sampling explores the choices");
    }

    [Test]
    public void StopSequencesAndTopKTopP()
    {
        using CausalLanguageModel model = new(Tiny(), seed: 8);
        BatchGenerator generator = new(model, Tokenizer);
        GenerationOptions options = new() { MaxNewTokens = 30, Seed = 1, TopK = 5, TopP = 0.9, StopTokenIds = [] };
        GenerationResult free = generator.Generate([Tokenizer.Encode("p")], options)[0];
        Assert.That(free.Finish, Is.EqualTo(FinishReason.Length));
        Assert.That(free.ResponseIds, Has.Length.EqualTo(30));
        string stop = Tokenizer.Decode(free.ResponseIds[4..6]);
        GenerationResult stopped = generator.Generate([Tokenizer.Encode("p")], options with { StopSequences = [stop] })[0];
        Assert.That(stopped.Finish, Is.EqualTo(FinishReason.Stop));
        Assert.That(stopped.Text, Does.Not.Contain(stop));
        Assert.That(stopped.ResponseIds, Has.Length.LessThanOrEqualTo(6));
    }

    [TestCase(1.0, false)]
    [TestCase(2.0, false)]
    [TestCase(1.0, true)]
    [TestCase(2.0, true)]
    public void SamplingLogProbsMatchTheScorer(double temperature, bool constrained)
    {
        using CausalLanguageModel model = new(Tiny(valueHead: true), seed: 9);
        BatchGenerator generator = new(model, Tokenizer);
        int[][] prompts = [Tokenizer.Encode("first"), Tokenizer.Encode("second prompt")];
        TokenTrie? trie = constrained ? new TokenTrie(["go north", "go south", "open the door", "wait"], Tokenizer, Tokenizer.EndOfTurnId) : null;
        TokenTrie?[] constraints = [trie, trie];
        IReadOnlyList<GenerationResult> results = generator.Generate(prompts, new GenerationOptions { MaxNewTokens = 20, Seed = 4, StopTokenIds = constrained ? null : [], Temperature = temperature },
            constrained ? constraints : null);
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        // The scorer trains the distribution the sampler drew from: the same temperature, the same constraint.
        TokenScores scores = TokenScorer.Score(model, [.. results.Select(r => (r.PromptIds, r.ResponseIds))], Tokenizer.PadId, temperature, constrained ? constraints : null);
        float[] logProbs = scores.LogProbs.ToArray<float>();
        float[] mask = scores.ResponseMask.ToArray<float>();
        long width = scores.LogProbs.size(1);
        for (int b = 0; b < results.Count; b++)
        {
            float[] fromScorer = [.. Enumerable.Range(0, (int)width).Where(t => mask[b * width + t] == 1).Select(t => logProbs[b * width + t])];
            Assert.That(fromScorer, Is.EqualTo(results[b].LogProbs).Within(1e-4), $"sequence {b}");
            Assert.That(fromScorer, Has.Length.EqualTo(results[b].ResponseIds.Length));
        }
        Assert.That(scores.PromptValues!.shape, Is.EqualTo(new long[] { 2 }));
        float[] entropies = scores.Entropies.ToArray<float>();
        Assert.That(entropies.All(e => e >= 0 && float.IsFinite(e)), Is.True);
        if (constrained)
        {
            // After "go " only "n" and "s" remain, and a forced token (one choice) carries no entropy and log-probability 0.
            Assert.That(results.Select(r => r.Text), Is.All.AnyOf("go north", "go south", "open the door", "wait"));
            GenerationResult door = generator.Generate([prompts[0]], new GenerationOptions { Temperature = 0 }, [new TokenTrie(["open the door"], Tokenizer, Tokenizer.EndOfTurnId)])[0];
            TokenScores forced = TokenScorer.Score(model, [(door.PromptIds, door.ResponseIds)], Tokenizer.PadId, 1.0, [new TokenTrie(["open the door"], Tokenizer, Tokenizer.EndOfTurnId)]);
            Assert.That(forced.LogProbs.ToArray<float>(), Is.All.EqualTo(0).Within(1e-6));
            Assert.That(forced.Entropies.ToArray<float>(), Is.All.EqualTo(0).Within(1e-6));
        }
    }

    [Test]
    public void RowsThatShareAPromptScoreAndTrainAsTheyDoAlone()
    {
        using CausalLanguageModel model = new(Tiny(valueHead: true), seed: 12);
        int[] shared = Tokenizer.Encode("a shared state"), other = Tokenizer.Encode("another, longer state");
        (int[], int[])[] rows = [(shared, Tokenizer.Encode("go left")), (other, Tokenizer.Encode("up")), (shared, Tokenizer.Encode("take the key"))];
        // Scored together (the shared prompt encoded once) ...
        using DisposeScope scope = NewDisposeScope();
        TokenScores together = TokenScorer.Score(model, rows, Tokenizer.PadId);
        (together.LogProbs * together.ResponseMask).sum().backward();
        // The value head is not in this loss: it has no gradient.
        Dictionary<string, float[]> batched = model.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!.ToArray<float>());
        Assert.That(batched, Has.Count.EqualTo(model.named_parameters().Count() - 2));
        float[] values = together.PromptValues!.ToArray<float>();
        model.zero_grad();
        // ... and one at a time: the same log-probabilities, values and summed gradients.
        long width = together.LogProbs.size(1);
        float[] batchedLogProbs = together.LogProbs.ToArray<float>();
        for (int b = 0; b < rows.Length; b++)
        {
            TokenScores alone = TokenScorer.Score(model, [rows[b]], Tokenizer.PadId);
            (alone.LogProbs * alone.ResponseMask).sum().backward();
            Assert.That(alone.LogProbs.ToArray<float>(), Is.EqualTo(batchedLogProbs.AsSpan((int)(b * width), rows[b].Item2.Length).ToArray()).Within(1e-5), $"row {b}");
            Assert.That(alone.PromptValues!.ToArray<float>()[0], Is.EqualTo(values[b]).Within(1e-5), $"row {b}'s value");
        }
        foreach ((string name, float[] gradient) in batched)
            Assert.That(model.get_parameter(name)!.grad!.ToArray<float>(), Is.EqualTo(gradient).Within(1e-4), name);
        Assert.That(values[0], Is.EqualTo(values[2]), "rows with one prompt share its value");
    }

    [Test]
    public void TrainingOnAFixedBatchDrivesTheLossDown()
    {
        using CausalLanguageModel model = new(Tiny(), seed: 10);
        using AdamW optimizer = optim.AdamW(model.parameters(), lr: 3e-3, weight_decay: 0);
        int[] tokens = Tokenizer.Encode("the quick brown fox jumps over the lazy dog");
        using Tensor ids = tensor(tokens.Select(t => (long)t).ToArray(), [1, tokens.Length]).DetachFromDisposeScope();
        double Step()
        {
            using DisposeScope scope = NewDisposeScope();
            Tensor logits = model.Forward(ids).Logits;
            Tensor loss = nn.functional.cross_entropy(logits.narrow(1, 0, tokens.Length - 1).reshape(-1, model.Config.VocabSize), ids.narrow(1, 1, tokens.Length - 1).reshape(-1));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            return loss.item<float>();
        }
        double first = Step();
        double last = first;
        for (int i = 0; i < 60; i++)
            last = Step();
        Assert.That(last, Is.LessThan(first * 0.25), $"loss {first:0.000} -> {last:0.000}");
    }
}
