using System.Text.RegularExpressions;

namespace Gym.Envs.Code;

/// <summary>What a code-environment action asks for.</summary>
public enum CodeActionKind
{
    /// <summary><c>&lt;write path="p"&gt;content&lt;/write&gt;</c>.</summary>
    Write,
    /// <summary><c>&lt;run&gt;command&lt;/run&gt;</c>.</summary>
    Run,
    /// <summary><c>&lt;test/&gt;</c>: run the visible tests.</summary>
    Test,
    /// <summary><c>&lt;submit/&gt;</c>: grade with the hidden tests and end the episode.</summary>
    Submit,
}

/// <summary>A parsed action.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Path">The file (write).</param>
/// <param name="Text">The content (write) or the command (run).</param>
public sealed record CodeAction(CodeActionKind Kind, string Path = "", string Text = "");

/// <summary>
/// The action syntax of the code environments, one action per turn, tags anywhere in the response:
/// <c>&lt;write path="solution.py"&gt;...&lt;/write&gt;</c>, <c>&lt;run&gt;python3 x.py&lt;/run&gt;</c>,
/// <c>&lt;test/&gt;</c>, <c>&lt;submit/&gt;</c>. The first tag found is the action.
/// </summary>
public static partial class CodeActionParser
{
    /// <summary>The syntax, as environments describe it to agents.</summary>
    public const string Syntax = "One action per turn: <write path=\"FILE\">CONTENT</write> writes a file; <run>COMMAND</run> runs a shell command in the work directory; " +
        "<test/> runs the visible tests; <submit/> grades your files with the hidden tests and ends the episode.";

    /// <summary>The action in <paramref name="text"/>, or an error message saying what is wrong.</summary>
    public static (CodeAction? Action, string? Error) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Match first = Tag().Match(text);
        if (!first.Success)
            return (null, "No action found. " + Syntax);
        string tag = first.Groups["tag"].Value.ToLowerInvariant();
        switch (tag)
        {
            case "test":
                return (new CodeAction(CodeActionKind.Test), null);
            case "submit":
                return (new CodeAction(CodeActionKind.Submit), null);
            case "run":
            {
                Match run = Run().Match(text, first.Index);
                if (!run.Success)
                    return (null, "<run> has no closing </run>.");
                string command = run.Groups["body"].Value.Trim();
                return command.Length == 0 ? (null, "<run></run> is empty: put a shell command inside.") : (new CodeAction(CodeActionKind.Run, Text: command), null);
            }
            default:
            {
                Match write = Write().Match(text, first.Index);
                if (!write.Success)
                    return (null, "<write path=\"FILE\"> needs a path attribute and a closing </write>.");
                string body = write.Groups["body"].Value;
                // A leading newline after the tag is layout, not content.
                if (body.StartsWith('\n'))
                    body = body[1..];
                return (new CodeAction(CodeActionKind.Write, write.Groups["path"].Value, body), null);
            }
        }
    }

    [GeneratedRegex(@"<(?<tag>write|run|test|submit)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Tag();

    [GeneratedRegex(@"\G<run>(?<body>.*?)</run>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Run();

    [GeneratedRegex(@"\G<write\s+path\s*=\s*""(?<path>[^""]+)""\s*>(?<body>.*?)</write>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Write();
}
