from evaluations.main import run

run()
