"""The peer of Gym's runner benchmark: a plain Python loop doing the same work per step as Gym's runner with a
trivial environment and agent: the agent acts, the environment steps through the same two wrappers (time limit,
invalid-action penalty), and the step is recorded (observation, action, reward, flags, info, timings) in the
episode's list.

Usage: python3 bench/runner_loop.py [episodes] [steps]
"""
import sys
import time


class CounterEnv:
    OBS = {"text": "tick", "state_key": "s"}
    RUNNING = (OBS, 0.0, False, False, {"valid": True})
    FINISHED = (OBS, 1.0, True, False, {"valid": True, "success": True})

    def reset(self, length):
        self.count = 0
        self.length = length
        return self.OBS

    def step(self, action):
        self.count += 1
        return self.FINISHED if self.count >= self.length else self.RUNNING


class TimeLimit:
    """Truncates at the step limit, like Gym's TimeLimitWrapper."""

    def __init__(self, env):
        self.env = env

    def reset(self, length, max_steps):
        self.steps, self.max_steps = 0, max_steps
        return self.env.reset(length)

    def step(self, action):
        self.steps += 1
        obs, reward, terminated, truncated, info = self.env.step(action)
        if self.steps >= self.max_steps and not (terminated or truncated):
            truncated = True
        return obs, reward, terminated, truncated, info


class InvalidActionPenalty:
    """Adds a penalty to invalid steps, like Gym's InvalidActionPenaltyWrapper."""

    def __init__(self, env, penalty=-0.1):
        self.env, self.penalty = env, penalty

    def reset(self, length, max_steps):
        return self.env.reset(length, max_steps)

    def step(self, action):
        obs, reward, terminated, truncated, info = self.env.step(action)
        if not info["valid"]:
            reward += self.penalty
        return obs, reward, terminated, truncated, info


class ConstantAgent:
    def act(self, observation, history):
        return "go"


def run(episodes, steps):
    env, agent = InvalidActionPenalty(TimeLimit(CounterEnv())), ConstantAgent()
    clock = time.perf_counter
    total = 0
    for _ in range(episodes):
        obs = env.reset(steps, steps + 1)
        history = []
        t0 = clock()
        while True:
            action = agent.act(obs, history)
            t1 = clock()
            next_obs, reward, terminated, truncated, info = env.step(action)
            t2 = clock()
            history.append((len(history), obs, action, reward, terminated, truncated, info, t1 - t0, t2 - t1))
            obs, t0 = next_obs, t2
            if terminated or truncated:
                break
        total += len(history)
    return total


def main():
    episodes = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    warm = time.perf_counter()
    while time.perf_counter() - warm < 3:
        run(min(2000, episodes), steps)
    start, cpu_start = time.perf_counter(), time.process_time()
    total = run(episodes, steps)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"python loop: {total} steps in {elapsed:.3f} s wall, {cpu:.3f} s CPU = {total / cpu:.0f} steps/s per core ({total / elapsed:.0f} steps/s wall)")


if __name__ == "__main__":
    main()
