"""Where a learner join's time went, from a bench run's node logs: ms after the join started (the learner add's
"snapshot and join" line) at which each step shows in the logs. Usage: python3 bench/learner_timeline.py LOG_DIR..."""
import datetime
import glob
import re
import sys

LINE = re.compile(r'^(\S+)\+0000 \w+ (\S+) - (.*)')
STEPS = [('snapshot begun', 'JoinSnapshot', 'before the learner'),
         ('notice', 'NotifyingLogAppender', 'notifying it to install'),
         ('download', 'FileSnapshotStateMachine', 'needs us to install'),
         ('leader sent', 'SnapshotRoutes', 'sent snapshot'),
         ('leader wrote', 'FileSnapshotStateMachine', 'took snapshot'),
         ('received', 'FileSnapshotStateMachine', 'received snapshot'),
         ('leader told', 'NotifyingLogAppender', 'just installed'),
         ('joined', 'LearnerPhase', 'joined as a learner')]

for run in sys.argv[1:]:
    lines = []
    for path in glob.glob(run + '/*.log'):
        with open(path, errors='replace') as log:
            for text in log:
                match = LINE.match(text)
                if match:
                    lines.append((datetime.datetime.fromisoformat(match.group(1)), match.group(2).split('.')[-1], match.group(3)))
    lines.sort()
    joined = next((l for l in lines if l[1] == 'LearnerPhase' and 'joined as a learner' in l[2]), None)
    if joined is None:
        print(run, 'no learner join in these logs')
        continue
    total = int(re.search(r'snapshot and join (\d+)', joined[2]).group(1))
    start = joined[0] - datetime.timedelta(milliseconds=total + 1)
    seen = []
    for name, logger, text in STEPS:
        at = next((t for t, c, m in lines if t >= start and c == logger and text in m
                   and (name != 'leader wrote' or 'bytes, after 1' in m and int(re.search(r'\((\d+) bytes', m).group(1)) > 1 << 20)), None)
        if at is not None:
            seen.append('%s +%d' % (name, (at - start).total_seconds() * 1000))
    print('%s: snapshot and join %d ms; %s' % (run.rstrip('/').split('/')[-1], total, ', '.join(seen)))
