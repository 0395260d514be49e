namespace Gym.Models.Generation;

/// <summary>
/// Checks token ids on the host before they reach the model: an id outside the vocabulary is an exception on the CPU
/// but a device-side assertion that kills the process on CUDA.
/// </summary>
internal static class TokenIds
{
    public static void Check(ReadOnlySpan<int> ids, int vocabSize, string what)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)vocabSize)
                throw new ArgumentException($"Token {i} of {what} is {ids[i]}, outside the vocabulary of {vocabSize}.");
        }
    }
}
