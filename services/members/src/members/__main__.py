from members.main import run

run()
