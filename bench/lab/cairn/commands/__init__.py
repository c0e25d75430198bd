"""One module per command of bench/lab/cairnlab.py.  Each has
register(sub), which adds its parser(s) to the subcommands and sets
func, the function the command runs with the parsed arguments (its exit
status: common.EXIT_*)."""

from . import (bench, bisect, changepoints, collect, compare, dashboard,
               fuzz, history, importlog, lava, netboot, peer, plot, probe,
               report, show)

MODULES = (bench, probe, show, plot, importlog, compare, history,
           changepoints, bisect, report, dashboard, netboot, collect, lava,
           peer, fuzz)
