# No Vitis flow for this build: ${board.title}

Board `${board.name}`, part `${board.part}`. ${reason}
