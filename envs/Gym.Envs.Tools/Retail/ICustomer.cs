namespace Gym.Envs.Tools.Retail;

/// <summary>Who the customer of a retail episode is and what they came for.</summary>
/// <param name="Name">Their name.</param>
/// <param name="Email">The email on their account.</param>
/// <param name="Request">What they said first.</param>
/// <param name="Detail">What they say when asked which order or which zip code: the product they mean, or the new zip.</param>
public sealed record CustomerBrief(string Name, string Email, string Request, string Detail);

/// <summary>The customer the agent talks to through <c>ask_user</c>.</summary>
public interface ICustomer
{
    /// <summary>The customer's reply to the agent's question.</summary>
    ValueTask<string> ReplyAsync(string question, CancellationToken cancellationToken = default);
}

/// <summary>The deterministic customer: gives the email when asked for it, the order's product or the zip when asked which, else asks to get on with it.</summary>
public sealed class ScriptedCustomer(CustomerBrief brief) : ICustomer
{
    /// <inheritdoc />
    public ValueTask<string> ReplyAsync(string question, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(question);
        string q = question.ToLowerInvariant();
        string answer = q.Contains("email", StringComparison.Ordinal) ? $"It's {brief.Email}."
            : q.Contains("zip", StringComparison.Ordinal) || q.Contains("order", StringComparison.Ordinal) || q.Contains("which", StringComparison.Ordinal) ? $"It's about {brief.Detail}."
            : "Could you just take care of it, please?";
        return ValueTask.FromResult(answer);
    }
}
