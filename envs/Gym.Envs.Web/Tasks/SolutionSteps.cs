using Gym.Core;
using Gym.Envs.Web.Sites.Widgets;

namespace Gym.Envs.Web.Tasks;

/// <summary>Plays a fixed solution: one step per valid action so far, each element found by role and name in the observation.</summary>
internal static class SolutionSteps
{
    public static string NextAction(AgentContext context, IReadOnlyList<SolutionStep> solution)
    {
        int done = context.History.Count(s => s.Info.ActionValid);
        if (done >= solution.Count)
            return "noop(100)";
        SolutionStep step = solution[done];
        string Id(string role, string name) => ObservationTree.Find(context.Observation.Text, role, name)
            ?? throw new InvalidOperationException($"Task {context.Task.Id}: no {role} \"{name}\" with an id in the observation.");
        return step.Action switch
        {
            "send_msg_to_user" or "report_infeasible" or "goto" => $"{step.Action}({ObservationTree.Quote(step.Argument!)})",
            "go_back" or "go_forward" or "noop" => $"{step.Action}()",
            "drag_and_drop" => $"drag_and_drop({ObservationTree.Quote(Id(step.Role!, step.Name!))}, {ObservationTree.Quote(Id(step.ToRole!, step.ToName!))})",
            _ when step.Argument is not null => $"{step.Action}({ObservationTree.Quote(Id(step.Role!, step.Name!))}, {ObservationTree.Quote(step.Argument)})",
            _ => $"{step.Action}({ObservationTree.Quote(Id(step.Role!, step.Name!))})",
        };
    }
}
