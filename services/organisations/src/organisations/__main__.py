from organisations.main import run

run()
