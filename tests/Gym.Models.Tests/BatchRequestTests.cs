using Gym.Models.Generation;
using Gym.Models.Transformer;

namespace Gym.Models.Tests;

/// <summary>Requests with their own settings in one batch: what a server batches from concurrent clients.</summary>
[TestFixture]
public sealed class BatchRequestTests
{
    private static readonly ByteTokenizer Tokenizer = new();

    private static ModelConfig Tiny() => new()
    {
        VocabSize = ByteTokenizer.DefaultVocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2,
        NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 128,
    };

    private static GenerationRequest[] Mixed() =>
    [
        new(Tokenizer.Encode("greedy one"), new GenerationOptions { MaxNewTokens = 9, Temperature = 0, StopTokenIds = [] }, null, 1),
        new(Tokenizer.Encode("hot"), new GenerationOptions { MaxNewTokens = 14, Temperature = 1.7, StopTokenIds = [] }, null, 2),
        new(Tokenizer.Encode("top k and p"), new GenerationOptions { MaxNewTokens = 5, TopK = 7, TopP = 0.8, StopTokenIds = [] }, null, 3),
        new(Tokenizer.Encode("plain sampling, a longer prompt"), new GenerationOptions { MaxNewTokens = 11, TopLogProbs = 4, StopTokenIds = [] }, null, 4),
    ];

    [Test]
    public void EachRequestInAMixedBatchGetsWhatItWouldGetAlone()
    {
        using CausalLanguageModel model = new(Tiny(), seed: 21);
        BatchGenerator generator = new(model, Tokenizer);
        GenerationRequest[] requests = Mixed();
        IReadOnlyList<GenerationResult> batched = generator.Generate(requests);
        for (int i = 0; i < requests.Length; i++)
        {
            GenerationResult alone = generator.Generate([requests[i]])[0];
            Assert.That(batched[i].ResponseIds, Is.EqualTo(alone.ResponseIds), $"request {i}");
            Assert.That(batched[i].LogProbs, Is.EqualTo(alone.LogProbs).Within(1e-4), $"request {i}");
            Assert.That(batched[i].ResponseIds, Has.Length.EqualTo(requests[i].Options.MaxNewTokens), "each request stops at its own limit");
            Assert.That(batched[i].Finish, Is.EqualTo(FinishReason.Length));
        }
        GenerationResult greedyOld = generator.Generate([requests[0].Prompt], requests[0].Options)[0];
        Assert.That(batched[0].ResponseIds, Is.EqualTo(greedyOld.ResponseIds), "the per-request path agrees with the shared-options path");
    }

    [Test]
    public void TopLogProbsAreSortedAndHoldTheGreedyChoice()
    {
        using CausalLanguageModel model = new(Tiny(), seed: 22);
        BatchGenerator generator = new(model, Tokenizer);
        GenerationRequest greedy = new(Tokenizer.Encode("abc"), new GenerationOptions { MaxNewTokens = 6, Temperature = 0, TopLogProbs = 3, StopTokenIds = [] }, null, 0);
        GenerationRequest topK = new(Tokenizer.Encode("abc"), new GenerationOptions { MaxNewTokens = 6, TopK = 2, TopLogProbs = 5, StopTokenIds = [] }, null, 9);
        IReadOnlyList<GenerationResult> results = generator.Generate([greedy, topK]);
        GenerationResult g = results[0];
        Assert.That(g.TopLogProbs, Has.Count.EqualTo(g.ResponseIds.Length));
        for (int t = 0; t < g.ResponseIds.Length; t++)
        {
            TokenLogProb[] top = g.TopLogProbs![t];
            Assert.That(top, Has.Length.EqualTo(3));
            Assert.That(top[0].Token, Is.EqualTo(g.ResponseIds[t]), "greedy takes the most likely token");
            Assert.That(top[0].LogProb, Is.EqualTo(g.LogProbs[t]).Within(1e-6));
            Assert.That(top.Select(x => x.LogProb), Is.Ordered.Descending);
        }
        Assert.That(results[1].TopLogProbs!.All(top => top.Length == 2), Is.True, "top-k 2 leaves two tokens with any probability");
        Assert.That(results[1].TopLogProbs!.Select((top, t) => top.Any(x => x.Token == results[1].ResponseIds[t])), Is.All.True);
    }

    [Test]
    public void ACancelledRequestStopsAloneAndAPromptThatFillsTheContextIsNamed()
    {
        using CausalLanguageModel model = new(Tiny(), seed: 23);
        BatchGenerator generator = new(model, Tokenizer);
        using CancellationTokenSource cancel = new();
        GenerationOptions options = new() { MaxNewTokens = 20, StopTokenIds = [] };
        List<int> streamed = [];
        IReadOnlyList<GenerationResult> results = generator.Generate(
            [new GenerationRequest(Tokenizer.Encode("a"), options, null, 1, cancel.Token), new GenerationRequest(Tokenizer.Encode("b"), options, null, 2)],
            onToken: (row, token) =>
            {
                if (row == 0)
                {
                    streamed.Add(token);
                    if (streamed.Count == 3)
                        cancel.Cancel();
                }
            });
        Assert.That(results[0].Finish, Is.EqualTo(FinishReason.Cancelled));
        Assert.That(results[0].ResponseIds, Is.EqualTo(streamed), "the callback saw every token, in order");
        Assert.That(results[0].ResponseIds, Has.Length.EqualTo(3));
        Assert.That(results[1].ResponseIds, Has.Length.EqualTo(20));
        ArgumentException? error = Assert.Throws<ArgumentException>(() => generator.Generate(
            [new GenerationRequest(Tokenizer.Encode("ok"), options, null, 0), new GenerationRequest(new int[128], options, null, 0)]));
        Assert.That(error!.Message, Does.Contain("Prompt 1 (128 tokens)"));
    }
}
