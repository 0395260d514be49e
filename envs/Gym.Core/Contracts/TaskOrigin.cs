namespace Gym.Core;

/// <summary>Where a task was defined, for error messages: the suite file and the JSON path of its entry.</summary>
/// <param name="File">The suite file ("tasks/text/frozenlake/suite.json").</param>
/// <param name="JsonPath">The task's entry in it ("$.tasks[3]", or "$.generate[0]" for generated tasks).</param>
public sealed record TaskOrigin(string File, string JsonPath);
